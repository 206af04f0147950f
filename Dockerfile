# Support Circle: one image for web (gunicorn), Celery worker and beat.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy

RUN pip install --no-cache-dir uv

WORKDIR /app

# Dependencies first, so code changes do not reinstall them.
COPY pyproject.toml uv.lock .python-version ./
RUN uv sync --locked --no-dev --no-install-project --no-cache

# The project itself; .dockerignore keeps the host's .venv, database and tools out.
COPY . .

ENV PATH="/app/.venv/bin:$PATH" \
    DJANGO_SETTINGS_MODULE=config.settings.production

# Production settings refuse to load without their secrets: give collectstatic
# throwaway values for this step only (nothing here ends up in the image's env).
RUN SECRET_KEY=build-only ALLOWED_HOSTS=localhost DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    SMTP_URL=smtp://localhost:25 sh -c "python manage.py collectstatic --noinput && python manage.py build_screening_model" \
    && rm -f /tmp/build.sqlite3

RUN useradd --create-home --uid 10001 --user-group app
USER app

EXPOSE 8000

CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
