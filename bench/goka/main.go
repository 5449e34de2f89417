// Command goka-bench runs Go Goka's side of `pnpm bench` (bench/src/bench-all.ts): the same count
// pipeline as ours, or the cold recovery of a group table, as a process of its own, driven like the
// bench's Node workers (bench/src/worker/main.ts) but over stdin/stdout instead of Node's IPC: the bench
// writes one JSON command a line ({"type":"start"}, {"type":"get","keys":[...]}, {"type":"stop"}), the
// program answers with JSON lines ({"type":"loaded"}, "first", "retry", "ready", "values", "stopped",
// "error"). Logs go to stderr. SIGTERM, SIGINT or the end of stdin stop it cleanly.
//
//	goka-bench -mode count -brokers 127.0.0.1:19592 -topic in -group g -storage /tmp/x [-commit-interval 200ms]
//	goka-bench -mode recover -brokers 127.0.0.1:19592 -topic g-input -group g -storage /tmp/y
//
// count:   goka.DefineGroup(group, goka.Input(topic, new(codec.Bytes), count), goka.Persist(new(codec.Int64)))
// recover: goka.DefineGroup(group, goka.Input(topic, new(codec.Bytes), copy), goka.Persist(new(codec.Bytes)))
// on an empty input: the processor restores its table <group>-table from Kafka and joins the group.
//
// Both use Goka's defaults (LevelDB storage, sarama's consumer and producer settings as Goka sets
// them) except what config.go lists; bench/README.md says why for each.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"
)

// command is what the bench writes on stdin.
type command struct {
	Type string   `json:"type"`
	Keys []string `json:"keys,omitempty"`
}

// out writes one JSON object a line on stdout; safe from every goroutine.
type out struct {
	mu  sync.Mutex
	enc *json.Encoder
}

func (o *out) send(message map[string]any) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if err := o.enc.Encode(message); err != nil {
		log.Printf("writing to stdout: %v", err)
	}
}

func main() {
	var cfg settings
	flag.StringVar(&cfg.mode, "mode", "count", "count or recover")
	brokers := flag.String("brokers", "127.0.0.1:9092", "comma-separated Kafka brokers")
	flag.StringVar(&cfg.topic, "topic", "", "the input topic")
	flag.StringVar(&cfg.group, "group", "", "the processor's group (its table is <group>-table)")
	flag.StringVar(&cfg.storagePath, "storage", "", "directory of the LevelDB stores (one per partition)")
	flag.DurationVar(&cfg.commitInterval, "commit-interval", 200*time.Millisecond, "sarama's offset auto-commit interval (ours: commitIntervalMs)")
	flag.StringVar(&cfg.clientID, "client-id", "", "Kafka client id (default Goka's goka-processor-<group>)")
	flag.StringVar(&cfg.compression, "compression", "none", "producer compression: none (ours) or snappy (Goka's default)")
	flag.IntVar(&cfg.maxRetries, "max-retries", 5, "how often a failed processor run is started again")
	verbose := flag.Bool("verbose", false, "Goka's log on stderr")
	flag.Parse()
	cfg.brokers = strings.Split(*brokers, ",")
	cfg.verbose = *verbose
	logger := log.New(os.Stderr, "goka-bench ", log.LstdFlags)
	if cfg.topic == "" || cfg.group == "" || cfg.storagePath == "" || (cfg.mode != "count" && cfg.mode != "recover") {
		logger.Fatal("-mode count|recover, -topic, -group and -storage are required")
	}

	o := &out{enc: json.NewEncoder(os.Stdout)}
	r, err := newRunner(cfg, o, logger)
	if err != nil {
		o.send(map[string]any{"type": "error", "message": err.Error()})
		os.Exit(1)
	}
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	commands := make(chan command)
	go readCommands(commands, logger)
	o.send(map[string]any{"type": "loaded"})

	var started time.Time
	var usageAtStart usage
	sampler := newPeakSampler()
	for {
		select {
		case sig := <-signals:
			logger.Printf("%v: stopping", sig)
			r.stop()
			os.Exit(0)
		case cmd, ok := <-commands:
			if !ok { // the bench went away without stopping us: stop too
				r.stop()
				os.Exit(1)
			}
			switch cmd.Type {
			case "start":
				started = time.Now()
				usageAtStart = selfUsage()
				sampler.start(20 * time.Millisecond)
				r.start()
				go func() {
					ready, err := r.ready()
					if err != nil {
						o.send(map[string]any{"type": "error", "message": err.Error()})
						return
					}
					ready["type"] = "ready"
					ready["ms"] = float64(time.Since(started).Microseconds()) / 1000
					o.send(ready)
				}()
			case "get":
				o.send(map[string]any{"type": "values", "values": r.get(cmd.Keys)})
			case "stop":
				peakRssKiB := selfUsage().maxRssKiB
				sampler.stop()
				memory := memorySample()
				atPeak := sampler.peak(memory)
				used := selfUsage().sub(usageAtStart)
				stopStarted := time.Now()
				r.stop()
				o.send(map[string]any{
					"type":           "stopped",
					"memory":         memory,
					"atPeak":         atPeak,
					"peakRssKiB":     peakRssKiB,
					"exitPeakRssKiB": selfUsage().maxRssKiB,
					"handled":        r.handled.Load(),
					"cpuMs":          used.cpuMs(),
					"stopMs":         float64(time.Since(stopStarted).Microseconds()) / 1000,
					"retries":        r.retries(),
				})
				os.Exit(0)
			default:
				o.send(map[string]any{"type": "error", "message": fmt.Sprintf("unknown command %q", cmd.Type)})
			}
		}
	}
}

// readCommands forwards stdin's JSON lines; closes the channel at the end of stdin.
func readCommands(commands chan<- command, logger *log.Logger) {
	scanner := bufio.NewScanner(os.Stdin)
	scanner.Buffer(make([]byte, 1<<20), 1<<20)
	for scanner.Scan() {
		var cmd command
		if err := json.Unmarshal(scanner.Bytes(), &cmd); err != nil {
			logger.Printf("ignoring %q: %v", scanner.Text(), err)
			continue
		}
		commands <- cmd
	}
	close(commands)
}

// contextDone is a closed-channel check.
func contextDone(ctx context.Context) bool {
	select {
	case <-ctx.Done():
		return true
	default:
		return false
	}
}
