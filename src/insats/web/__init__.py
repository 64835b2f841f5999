"""The web application: FastAPI, server-rendered Jinja2 pages with htmx, and a JSON API."""
