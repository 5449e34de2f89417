package main

import (
	"os"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// usage is the process' peak RSS and CPU time, as the Node workers measure theirs: the peak from
// /proc/self/status VmHWM (getrusage's ru_maxrss carries the parent's RSS over fork and exec on
// Linux, so a child of the bench reported at least the bench's RSS), CPU from getrusage(RUSAGE_SELF).
type usage struct {
	maxRssKiB int64
	userUs    int64
	systemUs  int64
}

func selfUsage() usage {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return usage{}
	}
	peak := ru.Maxrss
	if hwm, ok := vmHWMKiB(); ok {
		peak = hwm
	}
	return usage{maxRssKiB: peak, userUs: ru.Utime.Sec*1e6 + ru.Utime.Usec, systemUs: ru.Stime.Sec*1e6 + ru.Stime.Usec}
}

// vmHWMKiB is the VmHWM line of /proc/self/status (Linux), in KiB.
func vmHWMKiB() (int64, bool) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, found := strings.CutPrefix(line, "VmHWM:"); found {
			fields := strings.Fields(rest)
			if len(fields) == 0 {
				return 0, false
			}
			kib, err := strconv.ParseInt(fields[0], 10, 64)
			return kib, err == nil
		}
	}
	return 0, false
}

func (u usage) sub(earlier usage) usage {
	return usage{maxRssKiB: u.maxRssKiB, userUs: u.userUs - earlier.userUs, systemUs: u.systemUs - earlier.systemUs}
}

func (u usage) cpuMs() float64 { return float64(u.userUs+u.systemUs) / 1000 }

// sample has the field names of the bench's MemorySample (bytes): rss from /proc/self/statm; heapUsed
// is the Go heap's objects, heapTotal the memory the Go runtime holds (mapped minus the heap pages it
// returned to the OS; goleveldb is Go, so its buffers and caches are in both); external and
// arrayBuffers have no Go counterpart (0).
type sample struct {
	Rss          int64 `json:"rss"`
	HeapUsed     int64 `json:"heapUsed"`
	HeapTotal    int64 `json:"heapTotal"`
	External     int64 `json:"external"`
	ArrayBuffers int64 `json:"arrayBuffers"`
}

var pageSize = int64(os.Getpagesize())

func rssBytes() int64 {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	fields := strings.Fields(string(data))
	if len(fields) < 2 {
		return 0
	}
	pages, _ := strconv.ParseInt(fields[1], 10, 64)
	return pages * pageSize
}

// memorySample reads runtime/metrics, which does not stop the world (runtime.ReadMemStats would).
func memorySample() sample {
	found := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(found)
	value := func(s metrics.Sample) int64 {
		if s.Value.Kind() != metrics.KindUint64 {
			return 0
		}
		return int64(s.Value.Uint64())
	}
	return sample{Rss: rssBytes(), HeapUsed: value(found[0]), HeapTotal: value(found[1]) - value(found[2])}
}

// peakSampler keeps the sample with the highest RSS, like the Node worker's 20 ms sampler.
type peakSampler struct {
	mu   sync.Mutex
	best sample
	quit chan struct{}
}

func newPeakSampler() *peakSampler { return &peakSampler{} }

func (p *peakSampler) start(every time.Duration) {
	p.quit = make(chan struct{})
	go func() {
		ticker := time.NewTicker(every)
		defer ticker.Stop()
		for {
			select {
			case <-p.quit:
				return
			case <-ticker.C:
				p.offer(memorySample())
			}
		}
	}()
}

func (p *peakSampler) offer(s sample) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if s.Rss > p.best.Rss {
		p.best = s
	}
}

func (p *peakSampler) stop() {
	if p.quit != nil {
		close(p.quit)
		p.quit = nil
	}
}

// peak is the highest sample so far, counting `last` too.
func (p *peakSampler) peak(last sample) sample {
	p.offer(last)
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.best
}
