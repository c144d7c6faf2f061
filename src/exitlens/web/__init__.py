"""The web app (FastAPI): pages and a JSON API over ``services``, for signed-in users only."""
