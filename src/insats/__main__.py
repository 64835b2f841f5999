from insats.cli.main import run

run()
