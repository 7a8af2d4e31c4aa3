from letterkit import create_app

app = create_app()
