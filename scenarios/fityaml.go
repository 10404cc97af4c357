package scenarios

import (
	"bytes"
	"fmt"
	"reflect"

	"gopkg.in/yaml.v3"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/workloads"
)

// FitReport fits service-time distributions to data, the durations read
// from the recording trace (as info says), and returns the report: every
// fit ranked, the best one a scenario accepts, and its service.time line
// and service block, written by the scenario encoder.
func FitReport(trace string, info workloads.ServiceTimeInfo, data *models.FitData) (*reports.FitReport, error) {
	fits, err := models.FitServiceTimes(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", trace, err)
	}
	rep := &reports.FitReport{Trace: trace, Info: info, Fits: fits}
	rep.Best, rep.Note = models.BestFit(fits)
	ts := FitTimeSpec(fits[rep.Best].Config)
	line, err := ServiceTimeYAML(ts)
	if err != nil {
		return nil, err
	}
	block, err := ServiceYAML(ts)
	if err != nil {
		return nil, err
	}
	rep.TimeYAML, rep.ServiceYAML = string(line), string(block)
	return rep, nil
}

// FitTimeSpec is a fitted service-time distribution (models.Fit's Config,
// in seconds) as a scenario writes it: durations and cv to 3 significant
// digits (reports.FitDuration, reports.FitCV), the keys of its dist only.
func FitTimeSpec(c models.DistConfig) TimeSpec {
	t := TimeSpec{Dist: c.Dist}
	switch c.Dist {
	case models.DistLognormal:
		t.Median, t.P99 = reports.FitDuration(c.Median), reports.FitDuration(c.P99)
	case models.DistGamma:
		t.Mean, t.CV = reports.FitDuration(c.Mean), reports.FitCV(c.CV)
	default:
		t.Mean = reports.FitDuration(c.Mean)
	}
	return t
}

// ServiceTimeYAML renders a service-time distribution as the line of a
// scenario's service section that holds it, through the scenario encoder:
// "time: {dist: lognormal, median: 42.3ms, p99: 310ms}\n".
func ServiceTimeYAML(t TimeSpec) ([]byte, error) {
	return encodeYAML(mapping("time", encodeValue(reflect.ValueOf(t))))
}

// ServiceYAML renders a service-time distribution as a service section to
// paste into a scenario: "service:\n  time: {...}\n".
func ServiceYAML(t TimeSpec) ([]byte, error) {
	return encodeYAML(mapping("service", mapping("time", encodeValue(reflect.ValueOf(t)))))
}

// mapping is a one-key YAML mapping.
func mapping(key string, value *yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{
		{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, value}}
}

// encodeYAML writes a node as scenario files are written (YAML).
func encodeYAML(n *yaml.Node) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return nil, fmt.Errorf("render YAML: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("render YAML: %w", err)
	}
	return buf.Bytes(), nil
}

// PendingYAML renders a fitted launch time (instances.pending) as the
// instances section to paste into a scenario ("instances:\n  pending:
// {...}\n") and as the value of a --set instances.pending=VALUE flag
// ("{dist: lognormal, median: 41.2s, p99: 1m12s}").
func PendingYAML(t TimeSpec) (block []byte, flow string, err error) {
	block, err = encodeYAML(mapping("instances", mapping("pending", encodeValue(reflect.ValueOf(t)))))
	if err != nil {
		return nil, "", err
	}
	line, err := encodeYAML(encodeValue(reflect.ValueOf(t)))
	if err != nil {
		return nil, "", err
	}
	return block, string(bytes.TrimSpace(line)), nil
}
