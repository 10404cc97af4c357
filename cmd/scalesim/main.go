// Command scalesim simulates and compares scaling strategies for an ML
// inference endpoint. Run "scalesim --help" for the commands.
package main

import "os"

func main() { os.Exit(run(os.Args[1:], systemIO())) }
