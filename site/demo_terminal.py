"""What `make demo` prints: readable emails, and task-worker logs at the level the settings ask for.

Emails (EMAIL_URL=consolemail:// with DEBUG). Django's console backend prints the
raw MIME message: quoted-printable or base64 text, long links broken with "=" at
76 characters, the HTML part in full. This one prints what a person reads: the main headers, the plain-text part decoded
(so every link is whole and can be clicked in the terminal), and one line for
the HTML part and each attachment.
"""

from __future__ import annotations

import logging

from django.core.mail.backends.console import EmailBackend as ConsoleEmailBackend

HEADERS = ("From", "To", "Cc", "Reply-To", "Subject", "Date")
RULE = "─" * 72


def readable(message) -> str:
    """One email as the terminal shows it: headers, the decoded text, what else it carries."""
    mime = message.message()
    lines = [RULE]
    lines += [f"{name + ':':<10}{mime[name]}" for name in HEADERS if mime[name]]
    text, extras = None, []
    for part in mime.walk():
        if part.is_multipart():
            continue
        kind, filename = part.get_content_type(), part.get_filename()
        if kind == "text/plain" and not filename and text is None:
            text = part.get_content()
        elif filename:
            extras.append(f"[attachment: {filename}, {kind}]")
        else:
            extras.append(f"[also sent as {kind}, {len(part.get_content())} characters]")
    lines += ["", (text if text is not None else message.body).rstrip(), ""]
    lines += extras
    lines.append(RULE)
    return "\n".join(lines) + "\n"


class ReadableConsoleEmailBackend(ConsoleEmailBackend):
    def write_message(self, message):
        self.stream.write(readable(message))


# --- The task worker's log ---------------------------------------------------------------------------
# `manage.py db_worker` sets its loggers to INFO (DEBUG with -v 2) when it starts, whatever
# LOGGING says, and logs every task's start and finish: on a first start that is hundreds of
# lines of search-index updates queued by the demo loader. A filter on the handler is not
# undone by that, so the level in the settings (TASKS_LOG_LEVEL) holds.

TASK_LOGGERS = ("django.tasks", "django_tasks", "django_tasks_db")


class TaskLogLevelFilter(logging.Filter):
    """Drop records of the task loggers below ``level``; everything else passes."""

    def __init__(self, level: str = "WARNING"):
        super().__init__()
        self.level = logging.getLevelNamesMapping()[level.upper()]

    def filter(self, record: logging.LogRecord) -> bool:
        if any(record.name == name or record.name.startswith(name + ".") for name in TASK_LOGGERS):
            return record.levelno >= self.level
        return True
