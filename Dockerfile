# The portal's production image: gunicorn, the Celery worker and beat all run from it
# (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app

# A CJK font, so that circular PDFs show Chinese (fontconfig finds it).
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-wqy-microhei fontconfig \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# The dependencies first (a layer that changes only with pyproject.toml), then the code. The apps run
# from /app (PYTHONPATH), beside templates/ and static/.
COPY pyproject.toml ./
RUN pip install .
COPY . .
RUN pip install --no-deps . \
    && useradd --create-home --uid 1000 portal \
    && mkdir -p /app/staticfiles \
    && chown -R portal /app/staticfiles

USER portal
EXPOSE 8000
CMD ["gunicorn", "litigation.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
