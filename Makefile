# scalesim: make run (the built-in default scenario), make test (the tests).
GO      ?= go
BIN     := bin/scalesim
FUZZTIME ?= 30s

.PHONY: build run test lint bench validate fuzz clean

## build: compile bin/scalesim
build:
	$(GO) build -trimpath -o $(BIN) ./cmd/scalesim

## run: build and run the built-in default scenario
run: build
	./$(BIN) run

## test: formatting, vet, a tidy go.mod, the full test suite, and the race detector on the short suite
test: lint
	$(GO) test -count=1 ./...
	$(GO) test -count=1 -race -short ./...

## lint: gofmt and go vet must be clean, and go.mod and go.sum tidy
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	@$(GO) mod tidy -diff || { echo "go.mod or go.sum is not tidy: run 'go mod tidy'"; exit 1; }

## validate: long queueing-theory validation (more points, tighter statistics)
validate:
	$(GO) test -count=1 -tags validation -run 'Validation|MMc|MG1|Little' -timeout 30m ./models/

## bench: engine and end-to-end benchmarks, with the bare-loop yardstick, and ALB log replay against Poisson
bench:
	$(GO) test -run '^$$' -bench 'EngineHold' -benchmem ./sim/
	$(GO) test -run '^$$' -bench 'BareLoop' -benchtime 3x ./sim/simtest/
	$(GO) test -run '^$$' -bench 'MMc50' -benchtime 3x -benchmem ./scenarios/
	$(GO) test -run '^$$' -bench 'FleetVersusBareLoop' -benchtime 1x -count 3 ./scenarios/
	$(GO) test -run '^$$' -bench 'ALBParse|Reorder' ./workloads/
	$(GO) test -run '^$$' -bench 'ALBEndToEnd' -benchtime 5x ./workloads/
	$(GO) test -run '^$$' -bench 'ALBDay' -benchtime 1x -timeout 30m ./workloads/

## fuzz: run every fuzz target for FUZZTIME each
fuzz:
	@for pkg in ./workloads ./scenarios ./records; do \
	  for t in $$($(GO) test -list 'Fuzz.*' $$pkg | grep ^Fuzz); do \
	    echo "== $$pkg $$t"; $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

clean:
	rm -rf bin
