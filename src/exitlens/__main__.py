from exitlens.cli.main import run

run()
