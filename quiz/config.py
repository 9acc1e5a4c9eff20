"""Default settings; `instance/config.py` and `QUIZ_*` environment variables override them."""

ROUND_SIZE = 10
KIOSK_ROUND_SIZE = 5
KIOSK_IDLE_SECONDS = 60
KIOSK_ONLY = False
#: Id of the deck the kiosk plays; empty means the first bundled (not uploaded) deck, by title.
KIOSK_DECK = ""
#: Seconds the kiosk's idle warning counts down before the reset; keep it at 20 or more (WCAG 2.2.1).
KIOSK_WARNING_SECONDS = 20
#: Folder of deck files; relative paths are taken from the project folder.
QUESTIONS_DIR = "questions"
#: SQLAlchemy URL; empty means SQLite in the instance folder.
DATABASE_URL = ""
#: Seconds between looks at the deck folder for changed files.
DECKS_CHECK_SECONDS = 2.0
#: Largest upload or request body accepted, in bytes.
MAX_CONTENT_LENGTH = 1_048_576
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
#: Play sessions survive closing the browser, so a round can be resumed.
PERMANENT_SESSION_LIFETIME = 60 * 60 * 24 * 7
#: The cookie is re-sent when it changes (a new round), not on every page: a week from the last round.
SESSION_REFRESH_EACH_REQUEST = False
WTF_CSRF_TIME_LIMIT = None
#: Force the Secure cookie flag even on plain HTTP (it is always set on HTTPS requests).
SESSION_COOKIE_SECURE = False
#: How many reverse proxies (load balancers) sit in front and may be trusted for X-Forwarded-*.
TRUSTED_PROXIES = 0
#: Rounds one address may start in 10 minutes (a class behind one router shares an address).
ROUND_START_LIMIT = 600
#: Wrong class codes one address may try in 10 minutes.
CODE_GUESS_LIMIT = 60
#: Days a finished or abandoned round is kept (`quiz prune`); a class's rounds stay while it exists.
RETENTION_DAYS = 365
