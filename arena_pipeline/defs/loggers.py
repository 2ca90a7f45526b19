"""Loggers of the runs the CLI executes: a terse terminal, and Dagster's full log in a file.

Dagster's console logger prints every framework event, stack traces included, and each failure
several times (the step's message, the step failure, the run failure). A run from the CLI prints
instead its progress (the INFO messages of our own code) while it runs and a short summary at the
end (cli.py); everything Dagster would have printed goes to a file the last line names, and stays
in the run's event log in the UI. Runs launched by the UI or the daemon keep Dagster's console
logger: these loggers are used only when the run config names them.
"""

import contextlib
import logging
import re
import sys
import time
from pathlib import Path

import dagster as dg

TERMINAL_LOGGER = "arena_terminal"
FILE_LOGGER = "arena_file"
# Progress lines the end of a CLI run lists again (a failed day, a failed dataset file): not
# shown live, so that each is said once.
SUMMARIZED = re.compile(r"FAILED |[a-z_]+: failed \(")


class _TerminalHandler(logging.Handler):
    """`HH:MM:SS step: message` for our code's progress messages; nothing of the framework."""

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None)
        if meta is None or meta.get("dagster_event") is not None:
            return  # a framework event (step started, failure with its stack trace, ...)
        message = str(meta.get("orig_message") or "").strip()
        if not _shown_live(record.levelno, message):
            return
        first_line = message.splitlines()[0] if message else ""
        clock = time.strftime("%H:%M:%S", time.localtime(record.created))
        with contextlib.suppress(BrokenPipeError, ValueError):  # a closed terminal: the run goes on
            print(f"{clock} {meta.get('step_key') or 'run'}: {first_line}", file=sys.stdout, flush=True)


def _shown_live(level: int, message: str) -> bool:
    """Progress only: warnings and errors are what the command's summary lists at the end,
    except a wait for the database (without it a long wait would look like a hang)."""
    if level == logging.INFO:
        return not SUMMARIZED.match(message)
    return level == logging.WARNING and message.startswith("waiting ")


@dg.logger(description="A CLI run's progress on the terminal: our own INFO messages, one line "
                       "each, no framework events or stack traces (the summary comes at the end).")
def terminal_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.Logger("arena_pipeline.terminal", level=logging.INFO)
    logger.addHandler(_TerminalHandler())
    return logger


class _QuietFileHandler(logging.FileHandler):
    """A log file that cannot be written (its disk is full) costs the run its log, not its work:
    no "--- Logging error ---" traceback on the terminal for each record (the command's last line
    says what happened)."""

    def handleError(self, record: logging.LogRecord) -> None:
        pass


@dg.logger(config_schema={"path": dg.Field(str, description="the log file (created)")},
           description="Everything Dagster's console logger would print, in a file.")
def file_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    path = Path(init_context.logger_config["path"])
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = _QuietFileHandler(path, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter("%(asctime)s - %(name)s - %(levelname)s - %(message)s",
                                           "%Y-%m-%d %H:%M:%S %z"))
    logger = logging.Logger("dagster", level=logging.DEBUG)
    logger.addHandler(handler)
    return logger


# Dagster's default console logger stays available under its own name (UI and daemon runs).
LOGGERS = {"console": dg.colored_console_logger, TERMINAL_LOGGER: terminal_logger,
           FILE_LOGGER: file_logger}


def cli_run_config(log_file: Path) -> dict:
    """The run config of a CLI run: progress on the terminal, the full log in `log_file`."""
    return {"loggers": {TERMINAL_LOGGER: {}, FILE_LOGGER: {"config": {"path": str(log_file)}}}}
