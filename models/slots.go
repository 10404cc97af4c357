package models

import "fmt"

// GPUBound reports whether the model's worker slots come from GPUs
// (WorkersPerGPU is set) rather than vCPUs.
func (c ServiceConfig) GPUBound() bool { return c.WorkersPerGPU > 0 }

// Processors returns how many of the processors that carry the model's
// worker slots an instance of type t has: its GPUs for a GPU-bound model,
// else its vCPUs.
func (c ServiceConfig) Processors(t InstanceType) int {
	if c.GPUBound() {
		return t.GPUs
	}
	return t.VCPUs
}

// ProcessorName names those processors in messages: "GPUs" or "vCPUs".
func (c ServiceConfig) ProcessorName() string {
	if c.GPUBound() {
		return "GPUs"
	}
	return "vCPUs"
}

// Slots returns how many requests an instance of type t serves at once:
// its GPUs × WorkersPerGPU for a GPU-bound model, else its vCPUs ×
// WorkersPerVCPU. A GPU-bound model has no slot on a type without GPUs
// (NewSystem refuses such an initial type).
func (c ServiceConfig) Slots(t InstanceType) int {
	if c.GPUBound() {
		return t.GPUs * c.WorkersPerGPU
	}
	return t.VCPUs * c.WorkersPerVCPU
}

// checkSlots reports a service whose slots are not sized by exactly one of
// WorkersPerVCPU and WorkersPerGPU.
func (c ServiceConfig) checkSlots() error {
	switch {
	case c.WorkersPerVCPU < 0 || c.WorkersPerGPU < 0:
		return fmt.Errorf("workers per vCPU (%d) and per GPU (%d) may not be negative", c.WorkersPerVCPU, c.WorkersPerGPU)
	case c.WorkersPerVCPU > 0 && c.WorkersPerGPU > 0:
		return fmt.Errorf("workers per vCPU (%d) and per GPU (%d) are both set: size slots by one of them", c.WorkersPerVCPU, c.WorkersPerGPU)
	case c.WorkersPerVCPU == 0 && c.WorkersPerGPU == 0:
		return fmt.Errorf("workers per vCPU or per GPU must be at least 1")
	}
	return nil
}

// checkType reports why an instance of type t cannot serve the model: a
// GPU-bound model on a type without GPUs.
func (c ServiceConfig) checkType(t InstanceType) error {
	if c.Slots(t) < 1 {
		return fmt.Errorf("%s has no %s to serve the model on", t.Name, c.ProcessorName())
	}
	return nil
}
