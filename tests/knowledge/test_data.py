"""Package data is readable from a zipapp too (no files beside the package there)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import sapkcheck


def test_data_is_read_from_a_zip_archive(tmp_path: Path) -> None:
    archive = tmp_path / "sapkcheck.zip"
    package = Path(sapkcheck.__file__).parent
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in package.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                zipped.write(path, Path("sapkcheck") / path.relative_to(package))
    probe = (
        "import sapkcheck.knowledge.data as data;"
        "assert 'sapkcheck.zip' in data.__file__, data.__file__;"
        "from sapkcheck.knowledge.data import read_toml;"
        "from sapkcheck.knowledge.i18n import catalog;"
        "assert read_toml('data', 'faq.toml')['entries'];"
        "print(catalog('en').ui('error-prefix'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        env={"PYTHONPATH": str(archive)},
        cwd=tmp_path,  # not the checkout: "-c" puts the working directory first on sys.path
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()
