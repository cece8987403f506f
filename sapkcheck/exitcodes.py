"""Exit codes: a documented contract (README, ``--help``)."""

OK = 0  # no finding of severity error
PROBLEMS = 1  # at least one finding of severity error
UNUSABLE = 2  # unusable invocation or input, or an unexpected internal failure
INTERRUPTED = 130  # Ctrl-C

HELP = (
    "Exit codes: 0 no error found; 1 at least one error found; "
    "2 unusable invocation or input (or internal failure); 130 interrupted (Ctrl-C)."
)
