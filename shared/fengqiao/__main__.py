from fengqiao.cli.main import app

app(prog_name="fengqiao")
