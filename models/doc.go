// Package models is the modelled world: instance types and their prices,
// instances with a lifecycle, service times, billing, and System, which
// drives one strategy's fleet through the sim engine.
//
// A System never asks which family of strategy it runs. The family chooses
// two things in Config: the fleet's Mechanics (a Group that launches,
// terminates and replaces instances; one Resizable instance; a stream's
// Consumers, restarted in place; Kube, a Deployment's pods on nodes it
// provisions, schedules and bills), which say what a decision, a failure
// or a new instance means; and the front Door (a LoadBalancer that routes each
// request to an instance, or a Stream that holds requests for the
// consumers). The System drives both through small interfaces; adding a
// family with new mechanics adds one implementation beside these.
//
// models imports sim and strategies only. Traffic comes in through the
// Arrivals interface, which workloads.Source satisfies without models
// importing workloads; models never imports reports or scenarios and does no
// file or terminal I/O. Results leave through a Sink.
package models
