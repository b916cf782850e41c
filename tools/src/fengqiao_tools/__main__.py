from fengqiao_tools.cli.main import app

app(prog_name="fengqiao")
