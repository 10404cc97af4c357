# scalesim: make run (the built-in default scenario), make test (the tests).
GO      ?= go
BIN     := bin/scalesim
FUZZTIME ?= 30s

.PHONY: build run test lint bench validate fuzz web webtest clean

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

## lint: gofmt and go vet must be clean (the playground's browser test and
## WebAssembly command too), and go.mod and go.sum tidy
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) vet -tags webtest ./cmd/scalesim/
	GOOS=js GOARCH=wasm $(GO) vet ./cmd/scalesim-wasm/
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

## web: build the browser playground in web/: the simulator as WebAssembly
## (main.wasm), Go's loader for it (wasm_exec.js) and the report's style
## sheet (report.css), beside the committed page; serve it with
## bin/scalesim playground
web:
	GOOS=js GOARCH=wasm $(GO) build -trimpath -o web/main.wasm ./cmd/scalesim-wasm
	cp reports/html/style.css web/report.css
	@root=$$($(GO) env GOROOT); \
	for f in "$$root/lib/wasm/wasm_exec.js" "$$root/misc/wasm/wasm_exec.js"; do \
	  if [ -f "$$f" ]; then cp "$$f" web/wasm_exec.js; echo "cp $$f web/wasm_exec.js"; exit 0; fi; \
	done; \
	echo "no wasm_exec.js in $$root/lib/wasm or $$root/misc/wasm"; exit 1

## webtest: build the playground, then load it in headless Chromium, which
## runs the default scenario in the page (SCREENSHOT=DIR keeps a picture)
webtest: web
	$(GO) test -count=1 -v -tags webtest -run 'Browser' -timeout 20m ./cmd/scalesim/ $(if $(SCREENSHOT),-args -screenshot $(SCREENSHOT))

clean:
	rm -rf bin web/main.wasm web/wasm_exec.js web/report.css
