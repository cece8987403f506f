"""Every cap on the work one input may cause: the one home of these numbers (README "Limits"
names each, with what happens past it; a test holds the README to this module).

Past a cap sapkcheck never goes silent and never crashes: a value gets one finding saying
it was not examined, a field gets one "and N more" finding, a file or profile exits 2.
"""

from __future__ import annotations

from typing import Final

# Per value (check and batch): longer values are not examined, one finding says so.
MAX_VALUE_CHARS: Final = 1000
# Per field: findings of one kind listed before a single "and N more" finding.
MAX_FINDINGS_PER_KIND: Final = 5

# Batch input: past these the file is unusable (exit 2, naming the row).
MAX_CELLS_PER_ROW: Final = 16_384  # cells one row (CSV or XLSX) may hold: Excel's own limit
MAX_CELL_CHARS: Final = 1_000_000  # characters of one cell (CSV field or XLSX cell), one line
MAX_LINES_PER_ROW: Final = 1000  # lines one quoted CSV row may span (more: a stray quote)
# Rows of a UTF-8 CSV holding a byte that is not UTF-8: each is one row-bad-encoding finding;
# past this many the file is not UTF-8 with a few pasted cells but another encoding (exit 2).
MAX_BAD_ENCODING_ROWS: Final = 100
MAX_XLSX_ROW_NUMBER: Final = 1_048_576  # Excel's own last row
MAX_XLSX_EMPTY_ROWS: Final = 100_000  # consecutive empty rows an XLSX sheet may claim
MAX_XLSX_SHARED_STRINGS: Final = 2_000_000  # entries of an XLSX shared-string table
# Cells (rows x columns up to the last value) of one .ods sheet: calamine loads a sheet
# whole, and this bounds that load (a .xls sheet cannot pass 65,536 x 256 anyway).
MAX_SHEET_CELLS: Final = 20_000_000
MAX_SPREADSHEET_BYTES: Final = 256 * 1024 * 1024  # an .xls or .ods file (read whole)
MAX_XLSX_UNPACKED_BYTES: Final = 2_000_000_000  # an XLSX zip's declared size, unpacked
MAX_XLSX_COMPRESSION_RATIO: Final = 500  # unpacked / packed, for a part past 8 MiB

# Batch reports: identifying columns (name, unit, ...) carried beside the findings; the
# rest of a wide sheet is left out of the report (the input is never changed).
MAX_CARRIED_COLUMNS: Final = 12

# Region profile: past these the profile is unusable (exit 2).
MAX_PROFILE_BYTES: Final = 64 * 1024
MAX_PROFILE_DEPTH: Final = 8  # nesting of tables and arrays

# Workers: --jobs above this is a usage error (exit 2).
MAX_JOBS: Final = 32
