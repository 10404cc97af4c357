package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/scalesim/scalesim/scenarios"
)

// repoFile reads a file at the repository's root.
func repoFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// indexedJob is the part of a batch/v1 Job the sharded sweep relies on.
type indexedJob struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Spec       struct {
		CompletionMode string `yaml:"completionMode"`
		Completions    *int   `yaml:"completions"`
		Parallelism    *int   `yaml:"parallelism"`
		Template       struct {
			Spec struct {
				RestartPolicy   string `yaml:"restartPolicy"`
				SecurityContext struct {
					RunAsNonRoot *bool `yaml:"runAsNonRoot"`
					RunAsUser    *int  `yaml:"runAsUser"`
				} `yaml:"securityContext"`
				Containers []struct {
					Image   string   `yaml:"image"`
					Command []string `yaml:"command"`
					Args    []string `yaml:"args"`
					Env     []struct {
						Name  string `yaml:"name"`
						Value string `yaml:"value"`
					} `yaml:"env"`
					VolumeMounts []struct {
						Name      string `yaml:"name"`
						MountPath string `yaml:"mountPath"`
					} `yaml:"volumeMounts"`
					Resources struct {
						Requests map[string]string `yaml:"requests"`
						Limits   map[string]string `yaml:"limits"`
					} `yaml:"resources"`
				} `yaml:"containers"`
				Volumes []struct {
					Name                  string `yaml:"name"`
					PersistentVolumeClaim *struct {
						ClaimName string `yaml:"claimName"`
					} `yaml:"persistentVolumeClaim"`
				} `yaml:"volumes"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

// TestKubernetesSweepJob checks the Indexed Job manifest's structure, and
// that its sweep command line is one scalesim accepts.
func TestKubernetesSweepJob(t *testing.T) {
	dec := yaml.NewDecoder(strings.NewReader(repoFile(t, "deploy/kubernetes/sweep-job.yaml")))
	var job *indexedJob
	var claims []string
	for {
		var doc map[string]any
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("sweep-job.yaml does not parse: %v", err)
		}
		b, _ := yaml.Marshal(doc)
		switch doc["kind"] {
		case "Job":
			job = new(indexedJob)
			if err := yaml.Unmarshal(b, job); err != nil {
				t.Fatal(err)
			}
		case "PersistentVolumeClaim":
			claims = append(claims, doc["metadata"].(map[string]any)["name"].(string))
		}
	}
	if job == nil {
		t.Fatal("no Job in sweep-job.yaml")
	}
	s := job.Spec
	if job.APIVersion != "batch/v1" || s.CompletionMode != "Indexed" || s.Completions == nil || *s.Completions < 1 ||
		s.Parallelism == nil || *s.Parallelism < 1 || s.Template.Spec.RestartPolicy != "Never" {
		t.Errorf("want a batch/v1 Indexed Job with completions, parallelism and restartPolicy Never: %+v", s)
	}
	pod := s.Template.Spec
	if sc := pod.SecurityContext; sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot || sc.RunAsUser == nil || *sc.RunAsUser == 0 {
		t.Errorf("the pod must run as non-root: %+v", sc)
	}
	if len(pod.Containers) != 1 {
		t.Fatalf("%d containers, want 1", len(pod.Containers))
	}
	c := pod.Containers[0]
	argv := append(slices.Clone(c.Command), c.Args...)
	if !slices.Contains(argv, "sweep") || !slices.Contains(argv, "--shard") {
		t.Errorf("the container does not run sweep --shard: %q", argv)
	}
	shards := ""
	for _, e := range c.Env {
		if e.Name == scenarios.EnvShards {
			shards = e.Value
		}
	}
	if s.Completions != nil && shards != strconv.Itoa(*s.Completions) {
		t.Errorf("%s = %q, want the completions (%d)", scenarios.EnvShards, shards, *s.Completions)
	}
	if c.Resources.Requests["cpu"] == "" || c.Resources.Limits["memory"] == "" {
		t.Errorf("resources: %+v", c.Resources)
	}
	if len(c.VolumeMounts) == 0 || len(pod.Volumes) == 0 || pod.Volumes[0].PersistentVolumeClaim == nil ||
		pod.Volumes[0].Name != c.VolumeMounts[0].Name || !slices.Contains(claims, pod.Volumes[0].PersistentVolumeClaim.ClaimName) {
		t.Errorf("want a volume mount of a PersistentVolumeClaim defined in the file: %+v, %+v, claims %q", c.VolumeMounts, pod.Volumes, claims)
	}
	out := c.Args[slices.Index(c.Args, "--output-file")+1]
	if !strings.HasPrefix(out, c.VolumeMounts[0].MountPath+"/") || !strings.Contains(out, "$(JOB_COMPLETION_INDEX)") {
		t.Errorf("--output-file %q is not on the shared volume, named by the index", out)
	}

	// The args are a valid command line: run them (as shard 2 of 8, shorter)
	// through the command's option parsing.
	var got *sweepOptions
	cmd := newSweepCmd(testIO(scenarios.EnvCompletionIndex, "1", scenarios.EnvShards, shards), func(o *sweepOptions) error { got = o; return nil })
	cmd.SetArgs(c.Args[1:])
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	if err := cmd.Execute(); err != nil {
		t.Fatalf("the Job's args are refused: %v", err)
	}
	if got.shard.Index != 2 || got.shard.Count != *s.Completions || got.Output != "json" {
		t.Errorf("the Job's args give shard %+v, -o %s", got.shard, got.Output)
	}
}

// TestDockerfile checks the image recipe: multi-stage, a static binary,
// a non-root user, scalesim as the entry point.
func TestDockerfile(t *testing.T) {
	text := repoFile(t, "Dockerfile")
	var froms, users []string
	var entry string
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		switch strings.ToUpper(f[0]) {
		case "FROM":
			froms = append(froms, strings.Join(f[1:], " "))
		case "USER":
			users = append(users, f[1])
		case "ENTRYPOINT":
			entry = strings.Join(f[1:], " ")
		}
	}
	if len(froms) < 2 || !strings.HasPrefix(froms[0], "golang:1.26") {
		t.Errorf("want a multi-stage build from golang:1.26: FROM %q", froms)
	}
	if last := froms[len(froms)-1]; !strings.Contains(last, "distroless/static") && last != "scratch" {
		t.Errorf("the final stage is %q, want distroless/static or scratch", last)
	}
	if len(users) == 0 || regexp.MustCompile(`^(0|root)(:|$)`).MatchString(users[len(users)-1]) {
		t.Errorf("the image must end with a non-root USER: %q", users)
	}
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", `-ldflags "-s -w"`, "./cmd/scalesim", "COPY --from="} {
		if !strings.Contains(text, want) {
			t.Errorf("the Dockerfile lacks %q", want)
		}
	}
	if entry != `["/scalesim"]` {
		t.Errorf("ENTRYPOINT %s, want [\"/scalesim\"]", entry)
	}
	ignore := repoFile(t, ".dockerignore")
	for _, want := range []string{".git", "bin/"} {
		if !slices.Contains(strings.Fields(ignore), want) {
			t.Errorf(".dockerignore does not ignore %s", want)
		}
	}
}

// TestGitHubActionsExample checks the CI example: it parses, runs on pull
// requests, runs scalesim check against baselines from the target branch
// and posts the markdown.
func TestGitHubActionsExample(t *testing.T) {
	text := repoFile(t, "examples/ci/github-actions.yml")
	var wf struct {
		On   map[string]any `yaml:"on"`
		Jobs map[string]struct {
			Steps []struct {
				Uses string `yaml:"uses"`
				Run  string `yaml:"run"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.NewDecoder(bytes.NewReader([]byte(text))).Decode(&wf); err != nil {
		t.Fatalf("github-actions.yml does not parse: %v", err)
	}
	if _, ok := wf.On["pull_request"]; !ok {
		t.Errorf("the workflow does not run on pull_request: %v", wf.On)
	}
	var runs, uses strings.Builder
	for _, j := range wf.Jobs {
		for _, s := range j.Steps {
			runs.WriteString(s.Run + "\n")
			uses.WriteString(s.Uses + "\n")
		}
	}
	for _, want := range []string{"scalesim run", "-o json", "git show", "baselines/", "scalesim check --baseline", "-o markdown", "scenarios/*.yaml"} {
		if !strings.Contains(runs.String(), want) {
			t.Errorf("no step runs %q", want)
		}
	}
	if !strings.Contains(uses.String(), "actions/github-script") {
		t.Error("no step posts the report (actions/github-script)")
	}
}
