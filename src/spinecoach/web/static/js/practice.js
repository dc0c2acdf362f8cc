/**
 * Live practice: the camera picture stays on this device; MediaPipe Pose finds the body here,
 * and only its 33 landmarks go to the coach over a WebSocket, which answers with reps, hold
 * time and cues. Without a camera (no consent, refused, or by choice) a count-up timer lets the
 * patient keep time themselves. Everything the patient needs to know is written into the
 * aria-live regions, so nothing depends on seeing the video or the console.
 */

/** At most this many landmark frames per second (the coach's analyzers expect ≤ 30 Hz). */
const MAX_RATE_HZ = 30;
/**
 * Frames sent together in one message (every 100 ms at 30 Hz): the coach analyses every frame
 * either way, but handles a third of the messages, and a cue comes at most two frames later.
 */
const FRAMES_PER_MESSAGE = 3;
/**
 * While the coach is behind, frames wait and go in one bigger message, up to this many (the
 * server's limit, services/live.py MAX_FRAMES_PER_MESSAGE): a busy coach gets fewer, larger
 * messages, which cost it less per frame, instead of losing frames. Older ones are dropped.
 */
const MAX_FRAMES_PER_MESSAGE = 6;
/** Messages sent but not yet answered; beyond this frames wait (see above) or are dropped. */
const MAX_IN_FLIGHT = 2;
/** Bytes the socket may still hold unsent before we drop frames (a slow or stalled network). */
const MAX_BUFFERED_BYTES = 16 * 1024;
/** A frame unanswered this long is forgotten, so one lost reply cannot stall sending. */
const REPLY_TIMEOUT_MS = 1500;
/** How long Finish waits for the coach's summary before using the last numbers it had. */
const SUMMARY_TIMEOUT_MS = 5000;
/** How long to wait for the camera's first picture. */
const CAMERA_TIMEOUT_MS = 10000;
/** How long to wait for the socket to open. */
const CONNECT_TIMEOUT_MS = 10000;
/** Landmarks less visible than this are not drawn: a guessed limb would mislead. */
const MIN_DRAW_VISIBILITY = 0.5;
const LANDMARK_COUNT = 33;

/**
 * Bones of the BlazePose 33-point body, as [from, to] landmark indices, drawn over the video.
 * Face: nose–eyes–ears and the mouth; then trunk, arms with hands, legs with feet.
 */
const BONES = [
  [0, 2], [2, 7], [0, 5], [5, 8], [9, 10],
  [11, 12], [11, 23], [12, 24], [23, 24],
  [11, 13], [13, 15], [15, 17], [15, 19], [15, 21], [17, 19],
  [12, 14], [14, 16], [16, 18], [16, 20], [16, 22], [18, 20],
  [23, 25], [25, 27], [27, 29], [27, 31], [29, 31],
  [24, 26], [26, 28], [28, 30], [28, 32], [30, 32],
];

const TIMER_HINT = 'Use the timer below to keep time yourself instead.';

/** Read the section's data attributes once; missing or odd values fall back to safe defaults. */
function readConfig(section) {
  const data = section.dataset;
  const base = data.poseBase || '/static/vendor/mediapipe-pose/';
  const number = (text) => {
    const value = Number(text);
    return Number.isFinite(value) && value > 0 ? value : null;
  };
  return {
    wsPath: data.ws || '',
    cameraAllowed: data.camera === 'true',
    poseBase: base.endsWith('/') ? base : `${base}/`,
    kind: data.kind === 'hold' ? 'hold' : 'reps',
    targetReps: number(data.targetReps),
    targetHold: number(data.targetHold),
    modelComplexity: data.modelComplexity === '1' ? 1 : 0,
  };
}

/** The same-origin WebSocket address for a path: wss: on https pages, ws: otherwise. */
function socketUrl(path) {
  const url = new URL(path, window.location.href);
  url.protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

/** A plain-words reason for a getUserMedia failure, for people rather than developers. */
function cameraErrorText(error) {
  const name = error && typeof error === 'object' ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return `The camera was not allowed. You can allow it in your browser's settings for this site and reload the page. ${TIMER_HINT}`;
    case 'NotFoundError':
    case 'OverconstrainedError':
      return `No camera was found on this device. ${TIMER_HINT}`;
    case 'NotReadableError':
    case 'AbortError':
      return `The camera is busy or could not start. Close other apps that use it and try again. ${TIMER_HINT}`;
    default:
      return `The camera could not start. ${TIMER_HINT}`;
  }
}

/** Load a classic script once (pose.js defines a global, it is not a module). */
const loadedScripts = new Map();
function loadScript(src) {
  if (!loadedScripts.has(src)) {
    loadedScripts.set(src, new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = src;
      script.async = true;
      script.crossOrigin = 'anonymous';
      script.addEventListener('load', () => resolve());
      script.addEventListener('error', () => reject(new Error(`could not load ${src}`)));
      document.head.append(script);
    }));
  }
  return loadedScripts.get(src);
}

function finite(value, fallback = 0) {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function round(value, digits) {
  const scale = 10 ** digits;
  return Math.round(finite(value) * scale) / scale;
}

function clockText(seconds) {
  const whole = Math.max(0, Math.floor(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/** One patient's practice of one exercise on this page. */
class Practice {
  constructor(section) {
    this.section = section;
    this.config = readConfig(section);
    const find = (id) => document.getElementById(id);
    this.ui = {
      cameraControls: find('camera-controls'),
      cameraNote: find('camera-note'),
      cameraStart: find('camera-start'),
      cameraStop: find('camera-stop'),
      manualStart: find('manual-start'),
      stage: section.querySelector('.camera-stage'),
      video: find('camera'),
      overlay: find('overlay'),
      reps: find('reps'),
      hold: find('hold'),
      cue: find('cue'),
      setup: find('setup'),
      summary: find('summary'),
      speak: find('speak'),
      manual: find('manual'),
      timer: find('timer'),
      timerStart: find('timer-start'),
      timerStop: find('timer-stop'),
    };
    this.phase = 'idle';
    this.stream = null;
    this.pose = null;
    this.poseReady = null;
    this.socket = null;
    this.closingOnPurpose = false;
    this.running = false;
    this.frameId = 0;
    this.poseBusy = false;
    this.sending = null;
    this.lastPoseAt = -Infinity;
    this.startedAt = 0;
    this.frameTime = 0;
    this.inFlight = [];
    this.pending = [];
    this.sent = 0;
    this.dropped = 0;
    this.personFrames = 0;
    this.last = { reps: 0, hold_s: 0, quality: null };
    this.shown = { cue: undefined, setup: undefined };
    this.summaryWaiter = null;
    this.timerStartedAt = 0;
    this.timerInterval = 0;
    this.boneColour = '#fff';
  }

  /** Wire the buttons and show the mode this exercise allows. */
  start() {
    const { ui } = this;
    this.section.dataset.person = 'no';
    this.section.dataset.personFrames = '0';
    this.section.dataset.framesSent = '0';
    this.section.dataset.framesDropped = '0';
    this.setPhase('idle');
    ui.cameraStart?.addEventListener('click', () => this.guard(() => this.startCamera()));
    ui.cameraStop?.addEventListener('click', () => this.guard(() => this.finish()));
    ui.manualStart?.addEventListener('click', () => this.guard(() => this.switchToManual()));
    ui.timerStart?.addEventListener('click', () => this.startTimer());
    ui.timerStop?.addEventListener('click', () => this.stopTimer());
    window.addEventListener('pagehide', () => this.release());
    if (ui.cameraStop) ui.cameraStop.disabled = true;
    if (ui.timerStop) ui.timerStop.disabled = true;
    if (!this.config.cameraAllowed) {
      if (ui.cameraControls) ui.cameraControls.hidden = true;
      if (ui.stage) ui.stage.hidden = true;
      if (ui.cameraNote && !ui.cameraNote.textContent.trim()) {
        ui.cameraNote.textContent =
          'The camera is switched off for this exercise, so nothing watches or records you. Keep time with the timer and tell us how it went afterwards.';
      }
      this.showManual();
    }
  }

  /** Run an async handler so that any failure reaches the patient, not just the console. */
  guard(action) {
    Promise.resolve()
      .then(action)
      .catch((error) => {
        console.error(error);
        this.setSetup(`Something went wrong: ${error?.message || error}. ${TIMER_HINT}`);
        this.stopCamera();
        this.closeSocket();
        this.setPhase('idle');
        if (this.ui.cameraStart) this.ui.cameraStart.disabled = false;
        this.showManual();
      });
  }

  setPhase(phase) {
    this.phase = phase;
    this.section.dataset.phase = phase;
  }

  setText(element, text) {
    if (element && element.textContent !== text) element.textContent = text;
  }

  setSetup(text) {
    this.setText(this.ui.setup, text);
  }

  // --- camera mode -------------------------------------------------------------------------

  async startCamera() {
    const { ui } = this;
    if (this.phase !== 'idle' || !this.config.cameraAllowed) return;
    this.setPhase('starting');
    if (ui.cameraStart) ui.cameraStart.disabled = true;
    if (!navigator.mediaDevices?.getUserMedia) {
      this.cameraFailed(`This browser cannot use the camera on this page. ${TIMER_HINT}`);
      return;
    }
    this.setSetup('Starting the camera… Your browser may ask whether this site may use it.');
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({
        audio: false,
        video: { facingMode: 'user', width: { ideal: 640 }, height: { ideal: 480 } },
      });
    } catch (error) {
      if (this.phase === 'starting') this.cameraFailed(cameraErrorText(error));
      return;
    }
    if (this.phase !== 'starting') {
      this.stopCamera(); // the patient chose the timer while the browser was asking
      return;
    }
    ui.video.srcObject = this.stream;
    await this.videoReady();
    if (this.phase !== 'starting') return;
    this.setSetup('Loading the movement tracker… The first time can take up to a minute.');
    try {
      await Promise.all([this.loadPose(), this.openSocket()]);
    } catch (error) {
      console.error(error);
      if (this.phase !== 'starting') return; // closed on purpose: the patient chose the timer
      const text = error?.isSocket
        ? `The live coach could not be reached, so there is no feedback. Check your connection and try again. ${TIMER_HINT}`
        : `The movement tracker could not start in this browser, so there is no live feedback. ${TIMER_HINT}`;
      this.cameraFailed(text);
      return;
    }
    if (this.phase !== 'starting') return; // the patient switched to the timer meanwhile
    this.setPhase('live');
    this.boneColour = getComputedStyle(ui.overlay).color || '#fff';
    if (ui.cameraStop) ui.cameraStop.disabled = false;
    this.setSetup('Tracking started.');
    this.startedAt = performance.now();
    this.running = true;
    this.frameId = requestAnimationFrame(() => this.tick());
  }

  /** Resolve once the video has its size (needed for the overlay and the aspect ratio). */
  async videoReady() {
    const { video } = this.ui;
    if (video.readyState < HTMLMediaElement.HAVE_METADATA) {
      await new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error('the camera sends no picture')), CAMERA_TIMEOUT_MS);
        video.addEventListener('loadedmetadata', () => {
          clearTimeout(timer);
          resolve();
        }, { once: true });
      });
    }
    try {
      await video.play();
    } catch (error) {
      // Autoplay rules can refuse play() although the stream runs; the tracker reads frames anyway.
      console.warn(error);
    }
  }

  cameraFailed(text) {
    this.stopCamera();
    this.closeSocket();
    this.setSetup(text);
    this.setPhase('idle');
    if (this.ui.cameraStart) this.ui.cameraStart.disabled = false;
    if (this.ui.cameraStop) this.ui.cameraStop.disabled = true;
    this.showManual();
  }

  /** Load the tracker once; a failed load may be retried by pressing Start again. */
  loadPose() {
    this.poseReady ??= this.createPose().catch((error) => {
      this.poseReady = null;
      throw error;
    });
    return this.poseReady;
  }

  async createPose() {
    const base = this.config.poseBase;
    await loadScript(`${base}pose.js`);
    if (typeof window.Pose !== 'function') throw new Error('pose.js did not define Pose');
    const pose = new window.Pose({ locateFile: (file) => `${base}${file}` });
    pose.setOptions({
      modelComplexity: this.config.modelComplexity,
      smoothLandmarks: true,
      enableSegmentation: false,
      selfieMode: false,
      minDetectionConfidence: 0.5,
      minTrackingConfidence: 0.5,
    });
    pose.onResults((results) => this.onResults(results));
    await pose.initialize();
    this.pose = pose;
  }

  openSocket() {
    return new Promise((resolve, reject) => {
      const fail = (why) => {
        const error = new Error(why);
        error.isSocket = true;
        reject(error);
      };
      let socket;
      try {
        socket = new WebSocket(socketUrl(this.config.wsPath));
      } catch (error) {
        fail(String(error));
        return;
      }
      this.socket = socket;
      this.closingOnPurpose = false;
      const timer = setTimeout(() => {
        fail('timed out');
        socket.close();
      }, CONNECT_TIMEOUT_MS);
      socket.addEventListener('open', () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
      socket.addEventListener('message', (event) => this.onMessage(event));
      socket.addEventListener('close', (event) => {
        clearTimeout(timer);
        fail(`closed (${event.code})`); // no effect once opened
        this.onSocketClosed(socket);
      });
    });
  }

  onSocketClosed(socket) {
    if (socket !== this.socket) return;
    this.socket = null;
    this.summaryWaiter?.(null);
    if (this.closingOnPurpose || this.phase !== 'live') return;
    this.setSetup(
      'The connection to the live coach was lost, so there is no feedback now. ' +
      'Press Finish to keep what you have done, or reload the page to start again.',
    );
  }

  closeSocket() {
    const { socket } = this;
    if (!socket) return;
    this.closingOnPurpose = true;
    this.socket = null;
    if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) {
      socket.close(1000, 'practice finished');
    }
  }

  stopCamera() {
    this.running = false;
    cancelAnimationFrame(this.frameId);
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = null;
    if (this.ui.video) this.ui.video.srcObject = null;
    const canvas = this.ui.overlay;
    canvas?.getContext('2d')?.clearRect(0, 0, canvas.width, canvas.height);
  }

  /** The frame loop: one pose estimate at a time, at most MAX_RATE_HZ of them. */
  tick() {
    if (!this.running) return;
    this.frameId = requestAnimationFrame(() => this.tick());
    const { video } = this.ui;
    if (this.poseBusy || video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) return;
    // performance.now(), not the rAF timestamp: that is the frame's start, which can precede
    // startedAt and would give the first frame a negative time.
    const now = performance.now();
    if (now - this.lastPoseAt < 1000 / MAX_RATE_HZ) return;
    this.lastPoseAt = now;
    this.frameTime = (now - this.startedAt) / 1000;
    this.poseBusy = true;
    this.sending = this.pose
      .send({ image: video })
      .catch((error) => {
        console.error(error);
        if (!this.running) return; // stopped on purpose meanwhile
        this.running = false;
        this.setSetup(`The movement tracker stopped working. Press Finish to keep what you have done. ${TIMER_HINT}`);
      })
      .finally(() => {
        this.poseBusy = false;
      });
  }

  onResults(results) {
    if (!this.running) return;
    const points = results?.poseLandmarks;
    const found = Array.isArray(points) && points.length >= LANDMARK_COUNT;
    if (found) {
      this.personFrames += 1;
      this.section.dataset.person = 'yes';
      this.section.dataset.personFrames = String(this.personFrames);
    }
    this.draw(found ? points : null);
    this.sendFrame(found ? points : null);
  }

  draw(points) {
    const { overlay: canvas, video } = this.ui;
    const context = canvas?.getContext('2d');
    if (!context) return;
    if (canvas.width !== video.videoWidth || canvas.height !== video.videoHeight) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
    }
    context.clearRect(0, 0, canvas.width, canvas.height);
    if (!points) return;
    const seen = (p) => finite(p.visibility, 1) >= MIN_DRAW_VISIBILITY;
    const width = Math.max(2, canvas.width / 160);
    // A dark casing under a light line stays visible on light and dark clothes alike.
    for (const [colour, lineWidth] of [['rgba(0, 0, 0, 0.6)', width + 2], [this.boneColour, width]]) {
      context.strokeStyle = colour;
      context.lineWidth = lineWidth;
      context.lineCap = 'round';
      context.beginPath();
      for (const [from, to] of BONES) {
        const a = points[from];
        const b = points[to];
        if (!seen(a) || !seen(b)) continue;
        context.moveTo(a.x * canvas.width, a.y * canvas.height);
        context.lineTo(b.x * canvas.width, b.y * canvas.height);
      }
      context.stroke();
    }
    context.fillStyle = this.boneColour;
    for (const p of points) {
      if (!seen(p)) continue;
      context.beginPath();
      context.arc(p.x * canvas.width, p.y * canvas.height, width * 1.2, 0, 2 * Math.PI);
      context.fill();
    }
  }

  /** Keep one frame's landmarks for the next message; send when it has its frames. */
  sendFrame(points) {
    const { socket } = this;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    this.pending.push({
      t: round(this.frameTime, 3),
      lm: points
        ? points.slice(0, LANDMARK_COUNT).map((p) => [
          round(p.x, 5), round(p.y, 5), round(p.z, 5), round(finite(p.visibility), 4),
        ])
        : null,
    });
    if (this.pending.length >= FRAMES_PER_MESSAGE) this.flushFrames();
  }

  /**
   * Send the kept frames as one message. While the coach or the network is behind they wait
   * for the next try (the next frame or the next reply), and beyond MAX_FRAMES_PER_MESSAGE the
   * oldest are dropped. ``last`` sends them anyway: the session is ending.
   */
  flushFrames({ last = false } = {}) {
    const { socket } = this;
    if (!this.pending.length || !socket || socket.readyState !== WebSocket.OPEN) return;
    const now = performance.now();
    while (this.inFlight.length && now - this.inFlight[0] > REPLY_TIMEOUT_MS) this.inFlight.shift();
    const behind = this.inFlight.length >= MAX_IN_FLIGHT
      || socket.bufferedAmount > MAX_BUFFERED_BYTES;
    const excess = this.pending.length - MAX_FRAMES_PER_MESSAGE;
    if (excess > 0) {
      this.pending.splice(0, excess);
      this.dropped += excess;
      this.section.dataset.framesDropped = String(this.dropped);
    }
    if (behind && !last) return;
    const frames = this.pending;
    this.pending = [];
    const { video } = this.ui;
    const aspect = round(video.videoWidth / video.videoHeight, 4);
    socket.send(JSON.stringify({ aspect, mirrored: true, frames }));
    this.inFlight.push(now);
    this.sent += frames.length;
    this.section.dataset.framesSent = String(this.sent);
  }

  onMessage(event) {
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      return; // not ours to show; the next reply will carry the state again
    }
    if (message?.type === 'feedback') {
      this.inFlight.shift();
      if (this.pending.length >= FRAMES_PER_MESSAGE) this.flushFrames(); // frames that waited
      this.showFeedback(message);
    } else if (message?.type === 'summary') {
      this.summaryWaiter?.(message);
    } else if (message?.type === 'error' || message?.type === 'skipped') {
      // The coach refused a message (a protocol problem, not the patient's): it still answers
      // it, and the next good one carries on.
      this.inFlight.shift();
      if (this.pending.length >= FRAMES_PER_MESSAGE) this.flushFrames();
      console.warn('live coach refused a message', message);
    }
  }

  showFeedback(message) {
    this.last = {
      reps: Math.max(0, Math.round(finite(message.reps, this.last.reps))),
      hold_s: Math.max(0, finite(message.hold_s, this.last.hold_s)),
      quality: typeof message.quality === 'number' ? message.quality : this.last.quality,
    };
    this.setText(this.ui.reps, String(this.last.reps));
    this.setText(this.ui.hold, this.last.hold_s.toFixed(1));
    if (typeof message.state === 'string') this.section.dataset.state = message.state;
    this.showMessage('cue', message.cue);
    this.showMessage('setup', message.setup);
  }

  /** Show the coach's cue or set-up text; speak it only when it is new and speech is on. */
  showMessage(channel, value) {
    const text = typeof value === 'string' ? value : '';
    if (this.shown[channel] === text) return;
    this.shown[channel] = text;
    this.setText(this.ui[channel], text);
    if (text) this.speak(text);
  }

  speak(text) {
    if (!this.ui.speak?.checked || !('speechSynthesis' in window)) return;
    try {
      window.speechSynthesis.cancel(); // an old cue is stale; say the newest one now
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = document.documentElement.lang || 'en';
      window.speechSynthesis.speak(utterance);
    } catch (error) {
      console.warn(error);
    }
  }

  /** Finish: ask the coach for the summary, release the camera, hand over to the form. */
  async finish() {
    if (this.phase !== 'live') return;
    this.setPhase('finishing');
    this.running = false;
    cancelAnimationFrame(this.frameId);
    if (this.ui.cameraStop) this.ui.cameraStop.disabled = true;
    await this.sending; // let the frame in progress end before the camera and tracker go
    const summary = await this.requestSummary();
    this.stopCamera();
    this.closeSocket();
    await this.pose?.close().catch((error) => console.warn(error));
    this.pose = null;
    this.poseReady = null;
    this.setPhase('done');
    const result = summary ?? { ...this.last, faults: [] };
    const reps = Math.max(0, Math.round(finite(result.reps, this.last.reps)));
    const hold = Math.max(0, finite(result.hold_s, this.last.hold_s));
    const quality = typeof result.quality === 'number' ? Math.min(1, Math.max(0, result.quality)) : null;
    const faults = Array.isArray(result.faults) ? result.faults.filter((f) => typeof f === 'string') : [];
    let text = this.summaryText(reps, hold, quality, faults);
    if (!summary) text += ' (The live coach did not answer at the end, so these are the last numbers it sent.)';
    this.setText(this.ui.summary, text);
    this.fillForm({
      reps_done: reps,
      hold_s_done: Math.round(hold),
      quality: quality === null ? '' : quality.toFixed(2),
      quality_source: 'camera',
      faults: faults.map((fault) => fault.replaceAll(',', ' ')).join(','), // the form's list format
    });
  }

  requestSummary() {
    const { socket } = this;
    if (!socket || socket.readyState !== WebSocket.OPEN) return Promise.resolve(null);
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(null), SUMMARY_TIMEOUT_MS);
      const done = (summary) => {
        clearTimeout(timer);
        this.summaryWaiter = null;
        resolve(summary);
      };
      this.summaryWaiter = done;
      this.flushFrames({ last: true }); // the last frames still count
      socket.send(JSON.stringify({ type: 'end' }));
    });
  }

  summaryText(reps, hold, quality, faults) {
    const parts = [];
    const { kind, targetReps, targetHold } = this.config;
    if (kind === 'reps' || reps > 0) {
      parts.push(targetReps ? `${reps} of ${targetReps} repetitions` : `${reps} repetitions`);
    }
    if (kind === 'hold' || hold >= 1) {
      const target = targetHold && kind === 'hold' ? ` (target ${Math.round(targetHold)} s per hold)` : '';
      parts.push(`${Math.round(hold)} s of holding${target}`);
    }
    if (quality !== null) parts.push(`movement quality ${Math.round(quality * 100)} %`);
    let text = `Done: ${parts.join(', ')}.`;
    if (faults.length) text += ` To watch next time: ${faults.join('; ')}.`;
    return text;
  }

  // --- manual mode -------------------------------------------------------------------------

  showManual() {
    if (this.ui.manual) this.ui.manual.hidden = false;
  }

  /** The patient chose the timer: give up the camera session without a summary. */
  switchToManual() {
    if (this.phase === 'finishing' || this.phase === 'done') return;
    const wasUsingCamera = this.phase !== 'idle';
    this.stopCamera();
    this.closeSocket();
    this.setPhase('manual');
    if (this.ui.cameraStart) this.ui.cameraStart.disabled = true;
    if (this.ui.cameraStop) this.ui.cameraStop.disabled = true;
    this.showManual();
    this.setSetup(
      wasUsingCamera
        ? 'The camera is off. Keep time with the timer below.'
        : 'Keep time with the timer below.',
    );
    this.ui.timerStart?.focus();
  }

  startTimer() {
    const { ui } = this;
    if (this.timerInterval) return;
    if (this.phase === 'starting' || this.phase === 'live') this.switchToManual();
    this.setPhase('manual');
    this.timerStartedAt = performance.now();
    this.setText(ui.timer, clockText(0));
    this.timerInterval = setInterval(() => {
      this.setText(ui.timer, clockText((performance.now() - this.timerStartedAt) / 1000));
    }, 250);
    if (ui.timerStart) ui.timerStart.disabled = true;
    if (ui.timerStop) {
      ui.timerStop.disabled = false;
      ui.timerStop.focus();
    }
    this.setSetup('The timer is running. Press Stop timer when you are done.');
  }

  stopTimer() {
    const { ui } = this;
    if (!this.timerInterval) return;
    clearInterval(this.timerInterval);
    this.timerInterval = 0;
    const seconds = Math.round((performance.now() - this.timerStartedAt) / 1000);
    this.setText(ui.timer, clockText(seconds));
    if (ui.timerStop) ui.timerStop.disabled = true;
    this.setPhase('done');
    this.setSetup('');
    this.setText(ui.summary, `Done: you practised for ${clockText(seconds)} (${seconds} s).`);
    this.fillForm({ hold_s_done: seconds, quality: '', quality_source: 'patient' });
  }

  // --- hand-over -----------------------------------------------------------------------------

  fillForm(values) {
    const form = document.getElementById('after-form');
    if (!form) {
      this.setSetup('The form for your answers is missing from this page; please reload it.');
      return;
    }
    for (const [name, value] of Object.entries(values)) {
      const field = form.elements.namedItem(name);
      if (field && 'value' in field) field.value = String(value);
    }
    form.hidden = false;
    const first = [...form.querySelectorAll('input, select, textarea, button')].find(
      (element) => element.type !== 'hidden' && !element.disabled && element.getClientRects().length > 0,
    );
    first?.focus();
  }

  /** Leaving the page: never keep the camera on or a socket open behind the patient's back. */
  release() {
    clearInterval(this.timerInterval);
    this.stopCamera();
    this.closeSocket();
  }
}

const section = document.getElementById('practice');
if (section) new Practice(section).start();
