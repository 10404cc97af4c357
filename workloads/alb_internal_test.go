package workloads

import "testing"

// FuzzALBFastPath checks the fast field finder agrees with the general
// splitter on every line it accepts. Run it with
//
//	go test ./workloads -run='^$' -fuzz=FuzzALBFastPath -fuzztime=30s
func FuzzALBFastPath(f *testing.F) {
	f.Add([]byte(`http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - arn:...:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337262-36d228ad5d99923122bbe354" "-" "-" 0 2018-07-02T22:22:48.364000Z "forward" "-" "-" "10.0.0.1:80" "200" "-" "-"`))
	f.Add([]byte(`h2 2018-07-02T22:23:00.186641Z a b c d e f g h i j "k" "l" m n o "p" "q" "r" s -`))
	f.Add([]byte(`h2 2018-07-02T22:23:00.186641Z a b c d e f g h i j "k" "l" m n o "p" "q" "r" s 2018-07-02T23:59:60.000001Z`))
	f.Add([]byte(`h2  a b c d e f g h i j "k" "l"x" m n o "p" "q" "r"  2018-07-02T22:23:00Z`))
	f.Fuzz(func(t *testing.T, line []byte) {
		d, c, ok := albFast(line)
		fields, reason := splitALB(nil, line, albNeed)
		if !ok {
			return
		}
		if reason != "" {
			t.Fatalf("fast path accepted a line the splitter refuses (%s): %q", reason, line)
		}
		if string(d) != string(fields[albTime]) || string(c) != string(fields[albCreated]) {
			t.Fatalf("fast path found %q and %q, the splitter %q and %q", d, c, fields[albTime], fields[albCreated])
		}
		var dc dateCache
		for _, s := range [][]byte{d, d, c, d} {
			a, ok1 := dc.parse(s)
			b, ok2 := parseDateTime(s)
			if ok1 != ok2 || a != b {
				t.Fatalf("date cache %d %v, parseDateTime %d %v for %q", a, ok1, b, ok2, s)
			}
		}
	})
}
