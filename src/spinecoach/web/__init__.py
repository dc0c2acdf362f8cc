"""The web app: FastAPI, server-rendered pages with HTMX, live feedback over a WebSocket."""
