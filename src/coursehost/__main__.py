from coursehost.cli import main

main()
