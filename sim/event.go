package sim

// Kind identifies what an event means to the model. The engine orders events
// at the same instant by Kind, lowest first, so a model numbers its kinds in
// the order they must run (for example "completion before timeout").
type Kind uint8

// Event is one scheduled happening. It is a plain value: scheduling one does
// not allocate.
type Event struct {
	At   Time  // when it happens
	Kind Kind  // what it means to the model
	Obj  int32 // model-defined subject, e.g. an instance index
	Arg  int64 // model-defined argument, e.g. a request handle
	key  uint64
}

// Seq returns the event's scheduling sequence number within its engine.
func (e Event) Seq() uint64 { return e.key & seqMask }

const (
	seqBits = 56
	seqMask = 1<<seqBits - 1
)

// less orders events by (At, Kind, Seq); Kind and Seq are packed in key.
func less(a, b *Event) bool {
	if a.At != b.At {
		return a.At < b.At
	}
	return a.key < b.key
}
