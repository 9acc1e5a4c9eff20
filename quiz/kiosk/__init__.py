"""The kiosk: a public touch screen that plays short anonymous rounds and resets itself."""
