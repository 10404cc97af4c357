package sim

import (
	"hash/fnv"
	"math/rand/v2"
)

// Streams derives independent random streams from one seed. Each stream is a
// PCG generator seeded from the seed and a hash of its name, so a stream's
// numbers depend only on (seed, name): adding, removing or reordering other
// streams never changes them.
type Streams struct {
	seed uint64
}

// Stream names used across scalesim, one per purpose.
const (
	StreamArrivals = "arrivals"
	StreamService  = "service"
	StreamBoot     = "boot"
	StreamFailures = "failures"
	StreamRouting  = "routing"
	StreamStrategy = "strategy"
	StreamHealth   = "health"
	StreamRetries  = "retries" // producers' backoff before retrying a throttled put
)

// NewStreams returns the streams of one seed.
func NewStreams(seed uint64) Streams { return Streams{seed: seed} }

// Seed returns the seed the streams derive from.
func (s Streams) Seed() uint64 { return s.seed }

// Stream returns a new generator for the named purpose. Two calls with the
// same name return generators that produce the same sequence.
func (s Streams) Stream(name string) *rand.Rand {
	return rand.New(s.Source(name))
}

// Source returns the PCG source behind Stream(name).
func (s Streams) Source(name string) *rand.PCG {
	h := fnv.New64a()
	_, _ = h.Write([]byte(name))
	return rand.NewPCG(splitmix(s.seed), splitmix(h.Sum64()^0x9e3779b97f4a7c15))
}

// splitmix scrambles a 64-bit value so that nearby seeds give unrelated states.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}
