from sapkcheck.cli import main

main()
