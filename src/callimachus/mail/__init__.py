"""Outgoing e-mail: through SMTP when configured, else into an outbox folder and the log."""
