// Package models is the modelled world: instance types and their prices,
// instances with a lifecycle, service times, the load balancer, billing, and
// System, which drives one strategy's fleet through the sim engine.
//
// models imports sim and strategies only. Traffic comes in through the
// Arrivals interface, which workloads.Source satisfies without models
// importing workloads; models never imports reports or scenarios and does no
// file or terminal I/O. Results leave through a Sink.
package models
