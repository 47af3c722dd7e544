"""What the kiosk writes for people to read, shared by the commands and the booth: reports
rendered for the terminal (``render``), exports to Markdown, JSON and CSV (``export``) and
history listing rows (``listing``)."""
