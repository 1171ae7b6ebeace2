"""Submissions and review: the store (SQLite or PostgreSQL), the submission workflow and form, reviewer sign-in, anti-automation, diffs, durable publishing and the build lock."""
