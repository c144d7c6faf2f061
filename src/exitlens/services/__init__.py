"""Use cases shared by the CLI and the web app. Services own transactions."""
