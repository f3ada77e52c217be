"""Third-party files valuemap ships unchanged: the plotly.js basic bundle (see README.md in this folder)."""
