package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/IBM/sarama"
	"github.com/lovoo/goka"
	"github.com/lovoo/goka/codec"
	"github.com/lovoo/goka/storage"
)

type settings struct {
	mode           string
	brokers        []string
	topic          string
	group          string
	storagePath    string
	commitInterval time.Duration
	clientID       string
	compression    string
	maxRetries     int
	verbose        bool
}

// retryNote is one failed processor run that was started again.
type retryNote struct {
	Error      string `json:"error"`
	AfterReady bool   `json:"afterReady"`
}

// runner runs the processor and starts it again (up to maxRetries times) when a run fails, e.g. with
// "not the leader" right after Goka created the table topic. Every retry is reported, none is hidden.
type runner struct {
	cfg       settings
	out       *out
	logger    *log.Logger
	graph     *goka.GroupGraph
	options   []goka.ProcessorOption
	handled   atomic.Int64
	recovered atomic.Int64

	mu         sync.Mutex
	proc       *goka.Processor
	partitions []int32
	notes      []retryNote
	isReady    bool

	readyOnce sync.Once
	readyCh   chan struct{}
	failed    chan error
	cancel    context.CancelFunc
	done      chan struct{}
}

func newRunner(cfg settings, o *out, logger *log.Logger) (*runner, error) {
	config, err := saramaConfig(cfg)
	if err != nil {
		return nil, err
	}
	goka.ReplaceGlobalConfig(config)
	r := &runner{cfg: cfg, out: o, logger: logger, readyCh: make(chan struct{}), failed: make(chan error, 1), done: make(chan struct{})}
	first := sync.Once{}
	onMessage := func() {
		r.handled.Add(1)
		first.Do(func() { o.send(map[string]any{"type": "first", "at": time.Now().UnixMilli()}) })
	}
	if cfg.mode == "count" {
		r.graph = goka.DefineGroup(goka.Group(cfg.group),
			goka.Input(goka.Stream(cfg.topic), new(codec.Bytes), func(ctx goka.Context, _ any) {
				onMessage()
				var count int64
				if value := ctx.Value(); value != nil {
					count = value.(int64)
				}
				ctx.SetValue(count + 1)
			}),
			goka.Persist(new(codec.Int64)),
		)
	} else {
		r.graph = goka.DefineGroup(goka.Group(cfg.group),
			goka.Input(goka.Stream(cfg.topic), new(codec.Bytes), func(ctx goka.Context, msg any) {
				onMessage()
				ctx.SetValue(msg)
			}),
			goka.Persist(new(codec.Bytes)),
		)
	}
	topics := goka.NewTopicManagerConfig()
	// One broker: Goka's default replication (2) cannot be met.
	topics.Table.Replication = 1
	topics.Stream.Replication = 1
	gokaLogger := log.New(io.Discard, "", 0)
	if cfg.verbose {
		gokaLogger = log.New(logger.Writer(), "goka ", log.LstdFlags)
	}
	r.options = []goka.ProcessorOption{
		goka.WithTopicManagerBuilder(goka.TopicManagerBuilderWithTopicManagerConfig(topics)),
		// Goka's default storage (LevelDB with default options), in the bench's temp dir instead of /tmp/goka.
		goka.WithStorageBuilder(storage.DefaultBuilder(cfg.storagePath)),
		goka.WithLogger(gokaLogger),
		// Goka's DefaultUpdate, counting the records restored (the recovery's "records").
		goka.WithUpdateCallback(func(ctx goka.UpdateContext, s storage.Storage, key string, value []byte) error {
			r.recovered.Add(1)
			return goka.DefaultUpdate(ctx, s, key, value)
		}),
		goka.WithRebalanceCallback(func(a goka.Assignment) {
			partitions := make([]int32, 0, len(a))
			for partition := range a {
				partitions = append(partitions, partition)
			}
			sort.Slice(partitions, func(i, j int) bool { return partitions[i] < partitions[j] })
			r.mu.Lock()
			r.partitions = partitions
			r.mu.Unlock()
		}),
	}
	if cfg.clientID != "" {
		r.options = append(r.options, goka.WithClientID(cfg.clientID))
	}
	return r, nil
}

// saramaConfig is goka.DefaultConfig() with the bench's changes (see bench/README.md).
func saramaConfig(cfg settings) (*sarama.Config, error) {
	config := goka.DefaultConfig()
	// Goka's default V2_0_0_0 is below what Kafka 4 accepts (KIP-896: 2.1 is the oldest protocol baseline).
	config.Version = sarama.V2_1_0_0
	// Goka's default for input streams is the newest offset; the bench counts the whole topic, as ours does.
	config.Consumer.Offsets.Initial = sarama.OffsetOldest
	// Sarama's default auto-commit interval is 1 s; ours commits every commitIntervalMs.
	config.Consumer.Offsets.AutoCommit.Interval = cfg.commitInterval
	switch cfg.compression {
	case "none":
		// Goka's default is snappy; ours writes uncompressed (same bytes on the wire and on the broker).
		config.Producer.Compression = sarama.CompressionNone
	case "snappy":
		config.Producer.Compression = sarama.CompressionSnappy
	default:
		return nil, fmt.Errorf("-compression %q: none or snappy", cfg.compression)
	}
	return config, nil
}

// start runs the processor in the background, starting it again after a failed run.
func (r *runner) start() {
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() {
		defer close(r.done)
		for attempt := 0; ; attempt++ {
			err := r.runOnce(ctx)
			if contextDone(ctx) {
				return
			}
			if err == nil {
				err = errors.New("the processor stopped by itself")
			}
			if attempt >= r.cfg.maxRetries {
				r.failed <- fmt.Errorf("go goka processor failed %d times, last: %w", attempt+1, err)
				return
			}
			r.mu.Lock()
			note := retryNote{Error: err.Error(), AfterReady: r.isReady}
			r.notes = append(r.notes, note)
			r.mu.Unlock()
			r.out.send(map[string]any{"type": "retry", "attempt": attempt + 1, "error": note.Error, "afterReady": note.AfterReady})
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
			}
		}
	}()
}

// runOnce creates a processor (which creates the table topic if missing) and runs it until it stops.
func (r *runner) runOnce(ctx context.Context) error {
	proc, err := goka.NewProcessor(r.cfg.brokers, r.graph, r.options...)
	if err != nil {
		return fmt.Errorf("creating the processor: %w", err)
	}
	r.mu.Lock()
	r.proc = proc
	r.isReady = false
	r.mu.Unlock()
	go func() {
		if proc.WaitForReadyContext(ctx) != nil {
			return
		}
		select {
		case <-proc.Done(): // WaitForReady also returns when the run ended
			return
		default:
		}
		r.mu.Lock()
		r.isReady = true
		r.mu.Unlock()
		r.readyOnce.Do(func() { close(r.readyCh) })
	}()
	return proc.Run(ctx)
}

// ready waits until a processor run is ready (table recovered, group joined), or fails for good.
func (r *runner) ready() (map[string]any, error) {
	select {
	case <-r.readyCh:
	case err := <-r.failed:
		r.failed <- err
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return map[string]any{"records": r.recovered.Load(), "partitions": r.partitions, "retries": len(r.notes)}, nil
}

// get answers the bench's spot check: the counts of keys in this processor's table (nil: absent).
func (r *runner) get(keys []string) []*int64 {
	r.mu.Lock()
	proc := r.proc
	r.mu.Unlock()
	values := make([]*int64, len(keys))
	for i, key := range keys {
		if proc == nil {
			continue
		}
		value, err := proc.Get(key)
		if err != nil || value == nil {
			continue
		}
		count, ok := value.(int64)
		if !ok {
			count = -1
		}
		values[i] = &count
	}
	return values
}

func (r *runner) retries() []retryNote {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]retryNote{}, r.notes...)
}

// stop ends the current run (Goka leaves the group and closes its stores) and waits up to 30 s.
func (r *runner) stop() {
	if r.cancel == nil {
		return
	}
	r.cancel()
	select {
	case <-r.done:
	case <-time.After(30 * time.Second):
		r.logger.Printf("the processor did not stop within 30 s")
	}
}
