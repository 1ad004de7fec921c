# syntax=docker/dockerfile:1
# Assistant déclaration: one static binary embedding migrations, templates,
# translations and assets (static/ is vendored by `make assets` and committed).

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
# The binary embeds the time zone database (app/locale imports time/tzdata).
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o /out/assistant-declaration .

# distroless/static: CA certificates, tzdata, /tmp, user nonroot (65532).
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/assistant-declaration /assistant-declaration
ENV PORT=8080
EXPOSE 8080
USER nonroot:nonroot
# `serve` migrates the database (DATABASE_URL) before listening on PORT.
ENTRYPOINT ["/assistant-declaration"]
CMD ["serve"]
