"""The product's rules. No aiohttp, socketio or sqlalchemy here."""
