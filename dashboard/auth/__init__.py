"""Editors: accounts and roles, sign-in, CSRF, the upload/review/admin pages and the audit log."""
