# One image for web, worker and inference. On a GPU host, build with a CUDA build of torch:
#   docker compose build --build-arg TORCH_SPEC="torch==2.13.0"   (pip picks the CUDA wheel on Linux x86_64)
FROM python:3.11-slim
ARG TORCH_SPEC="torch==2.13.0"
ENV PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
# torch first, exactly as asked, so nothing else pulls a different build of it.
RUN pip install --no-cache-dir "${TORCH_SPEC}"
# Then every other package exactly as locked, each file checked against its hash (requirements.lock: the app's
# tree without the test tools; `make lock` writes it).
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes --no-deps -r requirements.lock
COPY pyproject.toml README.md ./
COPY pitchlab ./pitchlab
COPY models_service ./models_service
RUN pip install --no-cache-dir --no-deps .
COPY . .
RUN PITCHLAB_VAR_DIR=/tmp/build python manage.py collectstatic --noinput -v0
EXPOSE 8000
CMD ["sh", "-c", "gunicorn pitchlab.asgi:application --worker-class pitchlab.serving.Worker --bind 0.0.0.0:8000"]
