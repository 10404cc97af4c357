# scalesim in a container: a static binary on a distroless base, run as a
# non-root user. Build and try it:
#
#   docker build -t scalesim .
#   docker run --rm scalesim run mmc -o json
#
# The sharded sweep Job in deploy/kubernetes/sweep-job.yaml runs this image.

# Build stage: a static, reproducible binary (no cgo, no file-system paths,
# no symbol table).
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /out/scalesim ./cmd/scalesim

# Run stage: nothing but the binary, CA certificates and time zones;
# distroless's "nonroot" user (uid 65532), never root.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/scalesim /scalesim
USER 65532:65532
WORKDIR /home/nonroot
ENTRYPOINT ["/scalesim"]
CMD ["--help"]
