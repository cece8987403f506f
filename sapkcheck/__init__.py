"""sapkcheck: why did my MySAPK activation or password reset fail, and what do I do?"""

__version__ = "0.1.0"
