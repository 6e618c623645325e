"""HTTP: parse the request, call one service, serialize the answer. No SQL and no rules here."""
