// Parley's guest page: a person with only a browser calls the Parley user who sent them this link.
// It speaks docs/PROTOCOL.md: a guest's hello (the link's token and the name typed), an invite to the link's owner,
// an early offer, trickled candidates, and the "parley" data channel's media messages (section 7a).
'use strict';

(() => {
  const STRINGS = {
    en: {
      pageTitle: 'Join a call — Parley',
      title: 'Join a call',
      intro: 'You were invited to a video call. Type your name and press Join; your browser will ask to use your camera and microphone.',
      nameLabel: 'Your name',
      join: 'Join',
      again: 'Call again',
      goneTitle: 'This link does not work',
      gone: 'This link has expired or was revoked. Ask the person who sent it for a new one.',
      unsupported: 'This browser cannot make video calls. Open the link in a current Chrome, Firefox, Edge or Safari.',
      insecure: 'This page must be opened over https:// to use a camera. Ask the person who sent the link to serve Parley over TLS.',
      noPermission: 'The browser may not use your camera or microphone. Allow them in the site settings (the icon left of the address) and press Join again.',
      badName: 'Type a name of up to 64 characters.',
      connecting: 'Connecting…',
      calling: 'Calling {peer}…',
      ringing: 'Ringing at {peer}…',
      answered: '{peer} answered; connecting…',
      connected: 'In a call with {peer}',
      noServer: 'In a call with {peer} (the server cannot be reached; the call goes on)',
      unstable: 'The connection is unstable; reconnecting…',
      declined: '{peer} declined the call.',
      busy: '{peer} is in another call. Try again later.',
      unavailable: '{peer} is not online now. Try again later.',
      ended: '{peer} ended the call.',
      youEnded: 'You ended the call.',
      failed: 'The call could not connect.',
      lost: 'The call was lost.',
      serverLost: 'The connection to the server was lost.',
      full: 'Too many people are using this link right now. Try again in a minute.',
      refused: 'The server refused: {reason}',
      mute: 'Mute',
      unmute: 'Unmute',
      cameraOff: 'Camera off',
      cameraOn: 'Camera on',
      hangup: 'Hang up',
      peerMuted: '{peer} is muted',
      peerCameraOff: "{peer}'s camera is off",
      peerBoth: '{peer} is muted and the camera is off',
    },
    ru: {
      pageTitle: 'Звонок — Parley',
      title: 'Присоединиться к звонку',
      intro: 'Вас пригласили в видеозвонок. Введите имя и нажмите «Войти»; браузер спросит разрешение на камеру и микрофон.',
      nameLabel: 'Ваше имя',
      join: 'Войти',
      again: 'Позвонить снова',
      goneTitle: 'Ссылка не работает',
      gone: 'Срок действия ссылки истёк, или её отозвали. Попросите новую у того, кто её прислал.',
      unsupported: 'Этот браузер не умеет видеозвонки. Откройте ссылку в свежем Chrome, Firefox, Edge или Safari.',
      insecure: 'Для камеры страницу нужно открыть по https://. Попросите того, кто прислал ссылку, включить TLS на сервере Parley.',
      noPermission: 'Браузеру не разрешено использовать камеру или микрофон. Разрешите их в настройках сайта (значок слева от адреса) и снова нажмите «Войти».',
      badName: 'Введите имя длиной до 64 символов.',
      connecting: 'Соединение…',
      calling: 'Звоним: {peer}…',
      ringing: 'У {peer} звонит…',
      answered: '{peer} ответил(а); соединяем…',
      connected: 'Звонок с {peer}',
      noServer: 'Звонок с {peer} (сервер недоступен; звонок продолжается)',
      unstable: 'Связь неустойчива; переподключаемся…',
      declined: '{peer} отклонил(а) звонок.',
      busy: '{peer} сейчас в другом звонке. Попробуйте позже.',
      unavailable: '{peer} сейчас не в сети. Попробуйте позже.',
      ended: '{peer} завершил(а) звонок.',
      youEnded: 'Вы завершили звонок.',
      failed: 'Не удалось соединиться.',
      lost: 'Связь прервалась.',
      serverLost: 'Связь с сервером потеряна.',
      full: 'Этой ссылкой сейчас пользуется слишком много людей. Попробуйте через минуту.',
      refused: 'Сервер отказал: {reason}',
      mute: 'Выключить микрофон',
      unmute: 'Включить микрофон',
      cameraOff: 'Выключить камеру',
      cameraOn: 'Включить камеру',
      hangup: 'Завершить',
      peerMuted: '{peer}: микрофон выключен',
      peerCameraOff: '{peer}: камера выключена',
      peerBoth: '{peer}: микрофон и камера выключены',
    },
  };
  const lang = (navigator.language || 'en').toLowerCase().startsWith('ru') ? 'ru' : 'en';
  const t = (key, vars = {}) => STRINGS[lang][key].replace(/\{(\w+)\}/g, (all, name) => vars[name] ?? all);
  const $ = (id) => document.getElementById(id);

  document.documentElement.lang = lang;
  document.title = t('pageTitle');
  for (const el of document.querySelectorAll('[data-text]')) {
    el.textContent = t(el.dataset.text);
  }

  const show = (state, text) => {
    document.body.dataset.state = state;
    $('status').textContent = text ?? '';
  };

  if (document.body.dataset.state === 'gone') { // the server found the link dead (410)
    $('join').hidden = true;
    $('gone-title').hidden = false;
    show('gone', t('gone'));
    return;
  }
  const form = $('join-form');
  const refuse = (state, text) => {
    show(state, text);
    form.hidden = true;
  };
  if (!window.isSecureContext) {
    refuse('unsupported', t('insecure'));
    return;
  }
  if (!window.RTCPeerConnection || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia
      || !window.WebSocket) {
    refuse('unsupported', t('unsupported'));
    return;
  }

  const token = location.pathname.split('/').pop();
  const randomId = (length) => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    const bytes = crypto.getRandomValues(new Uint8Array(length));
    return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
  };
  const device = 'web-' + randomId(16);

  let ws = null;
  let pc = null;
  let local = null;
  let channel = null;
  let owner = '';
  let callId = '';
  let iceServers = [];
  let remoteSet = false;
  let pendingCandidates = [];
  let accepted = false;
  let ended = false;
  let pinger = 0;
  let restartTimer = 0;
  let lostTimer = 0;
  let lastAnsweredOffer = '';
  let guestName = '';
  let guestUser = '';
  let resumeToken = '';
  let reconnecting = 0;
  let signedOut = false;
  let iceRestarts = 0;
  let lastAnswer = '';
  let peerMedia = { camera: true, microphone: true, screen: false };

  const send = (message) => {
    if (ws && ws.readyState === WebSocket.OPEN) {
      ws.send(JSON.stringify(Object.assign({ v: 1 }, message)));
    }
  };
  const routed = (type, fields = {}) => send(Object.assign({ type, callId, to: owner }, fields));

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = $('name').value.trim();
    if (!name || name.length > 64 || /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/.test(name)) {
      show('start', t('badName'));
      return;
    }
    join(name);
  });
  $('again').addEventListener('click', () => location.reload());

  async function localMedia() {
    const tries = [
      { audio: true, video: { width: { ideal: 1280 }, height: { ideal: 720 } } },
      { audio: true },
      { video: true },
    ];
    for (const constraints of tries) {
      try {
        return await navigator.mediaDevices.getUserMedia(constraints);
      } catch (e) {
        if (e.name === 'NotAllowedError' || e.name === 'SecurityError') {
          throw e;
        }
        // NotFoundError, NotReadableError, OverconstrainedError: try with less
      }
    }
    return new MediaStream(); // no devices at all: the guest still sees and hears the other side
  }

  async function join(name) {
    $('join-button').disabled = true;
    show('connecting', t('connecting'));
    try {
      local = await localMedia();
    } catch (e) {
      $('join-button').disabled = false;
      show('no-permission', t('noPermission'));
      return;
    }
    $('self').srcObject = local;
    guestName = name;
    connect();
  }

  /** Opens the signaling connection: the first time with the link and the name, later with the resume token too. */
  function connect() {
    const socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/signal');
    ws = socket;
    socket.onopen = () => {
      const hello = { type: 'hello', device, client: 'parley-web/0.1', link: token, name: guestName };
      if (resumeToken) hello.token = resumeToken;
      send(hello);
    };
    socket.onmessage = (event) => {
      if (ws !== socket) return; // an old connection's last words
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      if (message && typeof message === 'object') {
        onMessage(message).catch((e) => console.warn('parley: message failed', message.type, e));
      }
    };
    socket.onclose = () => {
      if (ws !== socket) return;
      clearInterval(pinger);
      if (ended || signedOut) return; // signed out by the server: a connected call goes on without it
      if (accepted && resumeToken) {
        reconnect(); // a call going on: its media needs no server, its next offer does
      } else {
        finish('ended', t('serverLost'));
      }
    };
  }

  /**
   * The connection to the server dropped during a call (the guest's network changed, the server restarted): sign in
   * again as the same guest, a few times with growing pauses; the call goes on meanwhile if its media still flows.
   */
  function reconnect() {
    reconnecting += 1;
    if (reconnecting > 6) {
      if (!(pc && pc.connectionState === 'connected')) {
        finish('ended', t('serverLost'));
      } else {
        show('connected', t('noServer', { peer: owner })); // the call goes on; no more tries
      }
      return;
    }
    show('reconnecting', t('unstable'));
    setTimeout(() => {
      if (!ended) connect();
    }, Math.min(8000, 500 * 2 ** (reconnecting - 1)));
  }

  async function onMessage(m) {
    switch (m.type) {
      case 'welcome':
        if (ended || typeof m.guestOf !== 'string' || typeof m.user !== 'string') {
          return;
        }
        if (pc && (m.user !== guestUser || m.guestOf !== owner)) {
          return; // signed in again as someone else: not this call's guest
        }
        resumeToken = typeof m.token === 'string' ? m.token : '';
        clearInterval(pinger);
        {
          const seconds = Number(m.pingIntervalSeconds);
          const every = Number.isFinite(seconds) ? Math.min(300, Math.max(5, seconds)) : 20;
          pinger = setInterval(() => send({ type: 'ping', nonce: Date.now() }), every * 1000);
        }
        if (pc) {
          resumed(); // the same guest again: the call's signaling goes on
          return;
        }
        guestUser = m.user;
        owner = m.guestOf;
        iceServers = Array.isArray(m.iceServers) ? m.iceServers : [];
        await startCall();
        return;
      case 'ping':
        send({ type: 'pong', nonce: m.nonce });
        return;
      case 'error':
        onError(m);
        return;
      default:
        break;
    }
    if (m.callId !== callId || m.from !== owner || ended) {
      return;
    }
    switch (m.type) {
      case 'ringing':
        if (!accepted) show('ringing', t('ringing', { peer: owner }));
        return;
      case 'accept':
        accepted = true;
        show('answered', t('answered', { peer: owner }));
        return;
      case 'decline':
        finish('ended', t('declined', { peer: owner }));
        return;
      case 'busy':
        finish('ended', t('busy', { peer: owner }));
        return;
      case 'cancel':
      case 'hangup':
        finish('ended', m.reason === 'connection-failed' ? t('failed') : t('ended', { peer: owner }));
        return;
      case 'answer':
        if (pc.signalingState === 'have-local-offer' && typeof m.sdp === 'string') {
          await pc.setRemoteDescription({ type: 'answer', sdp: m.sdp });
          await remoteDescriptionSet();
        }
        return;
      case 'offer':
        await onOffer(m.sdp);
        return;
      case 'candidate':
        if (m.endOfCandidates || typeof m.candidate !== 'string') {
          return;
        }
        {
          const candidate = { candidate: m.candidate, sdpMid: m.sdpMid, sdpMLineIndex: m.sdpMLineIndex || 0 };
          if (remoteSet) {
            await pc.addIceCandidate(candidate).catch((e) => console.warn('parley: candidate refused', e));
          } else {
            pendingCandidates.push(candidate);
          }
        }
        return;
      default:
        return;
    }
  }

  function onError(m) {
    if (m.code === 'auth-failed') {
      // A link that expired or was revoked; once in a call, the call goes on without the server.
      signedOut = true;
      if (!(pc && pc.connectionState === 'connected')) {
        finish('gone', t('gone'));
      } else {
        show('connected', t('noServer', { peer: owner }));
      }
    } else if (m.code === 'rate-limited' && m.inReplyTo === 'hello') {
      if (!pc) {
        finish('ended', t('full'));
      } // signing in again mid-call: the socket closes next and the page tries again

    } else if (m.callId && m.callId === callId && (m.code === 'unavailable' || m.code === 'unknown-call')) {
      finish('ended', t('unavailable', { peer: owner }));
    } else if (m.callId && m.callId === callId && m.code === 'forbidden' && m.inReplyTo === 'invite') {
      finish('gone', t('gone'));
    } else if (m.code === 'going-away') {
      if (!(pc && pc.connectionState === 'connected')) {
        finish('ended', t('serverLost'));
      }
    } else if (!accepted) {
      finish('ended', t('refused', { reason: String(m.message || m.code) }));
    }
  }

  /** Signed in again mid-call: if the media path went with the old network, look for a new one (section 7). */
  function resumed() {
    reconnecting = 0;
    if (pc.connectionState === 'connected' && pc.signalingState === 'stable') {
      show('connected', t('connected', { peer: owner }));
    } else {
      findPathAgain();
    }
  }

  /**
   * An ICE restart, or, while an offer of ours is still unanswered (it may have gone out on a connection that was
   * already dead), the same offer again: the peer answers an offer it has seen with the same answer (section 7).
   */
  function findPathAgain() {
    if (pc.signalingState === 'have-local-offer' && pc.localDescription) {
      routed('offer', { sdp: pc.localDescription.sdp });
    } else if (pc.signalingState === 'stable' && accepted) {
      restartIce();
    }
  }

  async function remoteDescriptionSet() {
    remoteSet = true;
    const waiting = pendingCandidates;
    pendingCandidates = [];
    for (const candidate of waiting) {
      await pc.addIceCandidate(candidate).catch((e) => console.warn('parley: candidate refused', e));
    }
  }

  /** The other side renegotiates (a screen shared, an ICE restart): answer, unless our own offer is out. */
  async function onOffer(sdp) {
    if (typeof sdp !== 'string' || pc.signalingState !== 'stable') {
      return; // the caller is the impolite peer: a crossing offer is ignored; the callee rolls back
    }
    const origin = (sdp.match(/^o=.*$/m) || [''])[0];
    if (origin && origin === lastAnsweredOffer) {
      routed('answer', { sdp: lastAnswer }); // the same offer again: the same answer again (section 7)
      return;
    }
    await pc.setRemoteDescription({ type: 'offer', sdp });
    await remoteDescriptionSet();
    await pc.setLocalDescription(await pc.createAnswer());
    lastAnsweredOffer = origin;
    lastAnswer = pc.localDescription.sdp;
    routed('answer', { sdp: lastAnswer });
  }

  /** Fresh ICE credentials in a new offer: the peer answers it and the two look for a path again (section 7). */
  function restartIce() {
    iceRestarts += 1;
    offer({ iceRestart: true }).catch((e) => console.warn('parley: ICE restart failed', e));
  }

  async function offer(options) {
    await pc.setLocalDescription(await pc.createOffer(options));
    routed('offer', { sdp: pc.localDescription.sdp });
  }

  async function startCall() {
    callId = 'g' + randomId(20);
    pc = new RTCPeerConnection({
      iceServers: iceServers.map((s) => ({ urls: s.urls, username: s.username, credential: s.credential })),
    });
    for (const track of local.getTracks()) {
      pc.addTrack(track, local);
    }
    if (local.getAudioTracks().length === 0) pc.addTransceiver('audio', { direction: 'recvonly' });
    if (local.getVideoTracks().length === 0) pc.addTransceiver('video', { direction: 'recvonly' });
    preferH264();
    channel = pc.createDataChannel('parley', { ordered: true });
    channel.onopen = sendMediaState;
    channel.onmessage = (event) => onPeerMessage(event.data);
    pc.ontrack = (event) => onTrack(event);
    pc.onicecandidate = (event) => {
      if (event.candidate && event.candidate.candidate) {
        routed('candidate', {
          sdpMid: event.candidate.sdpMid,
          sdpMLineIndex: event.candidate.sdpMLineIndex || 0,
          candidate: event.candidate.candidate,
          endOfCandidates: false,
        });
      } else if (!event.candidate) {
        routed('candidate', { sdpMLineIndex: 0, endOfCandidates: true });
      }
    };
    pc.onconnectionstatechange = onConnectionState;
    $('join').hidden = true;
    $('call').hidden = false;
    show('calling', t('calling', { peer: owner }));
    routed('invite', { media: ['audio', 'video'] }); // the guest receives both even without a camera
    await offer(); // an early offer: the server holds it for the device that answers
  }

  /**
   * H.264 first, as Parley lists it (section 7): each side sends the first codec of the other's list, so without
   * this Chromium (which lists VP8 first) would get VP8 from Parley while sending it H.264. VP8 stays next, then
   * the rest, for a browser or a peer without H.264.
   */
  function preferH264() {
    if (!window.RTCRtpReceiver || !RTCRtpReceiver.getCapabilities) return;
    const caps = RTCRtpReceiver.getCapabilities('video');
    if (!caps) return;
    const rank = (c) => {
      const fmtp = c.sdpFmtpLine || '';
      if (/h264/i.test(c.mimeType)) {
        return /profile-level-id=42e0/i.test(fmtp) && /packetization-mode=1/.test(fmtp) ? 0 : 1;
      }
      return /vp8/i.test(c.mimeType) ? 2 : 3;
    };
    const ordered = caps.codecs.slice().sort((a, b) => rank(a) - rank(b));
    for (const t of pc.getTransceivers()) {
      if (t.receiver.track.kind === 'video' && t.setCodecPreferences) {
        try {
          t.setCodecPreferences(ordered);
        } catch (e) {
          console.warn('parley: codec preferences refused', e);
        }
      }
    }
  }

  function onTrack(event) {
    const track = event.track;
    if (track.kind === 'audio') {
      const stream = event.streams[0] || new MediaStream([track]);
      if (!$('remote').srcObject) $('remote').srcObject = stream;
      return;
    }
    const remote = $('remote');
    const current = remote.srcObject;
    if (!current || current.getVideoTracks().length === 0) {
      const stream = current || new MediaStream();
      stream.addTrack(track);
      remote.srcObject = stream;
    } else if (!current.getVideoTracks().includes(track)) {
      $('screen').srcObject = new MediaStream([track]); // a second video: the other side's shared screen
    }
    showPeerMedia();
  }

  function onConnectionState() {
    if (ended) return;
    const state = pc.connectionState;
    if (state === 'connected') {
      clearTimeout(restartTimer);
      clearTimeout(lostTimer);
      restartTimer = 0;
      lostTimer = 0;
      show('connected', t('connected', { peer: owner }));
    } else if (state === 'disconnected' || state === 'failed') {
      if (!accepted || !remoteSet) {
        return;
      }
      show('reconnecting', t('unstable'));
      // The guest's network changed or dropped: offer again with fresh ICE credentials (section 7).
      if (!restartTimer) {
        restartTimer = setTimeout(() => {
          restartTimer = 0;
          if (!ended && pc.connectionState !== 'connected') {
            findPathAgain();
          }
        }, state === 'failed' ? 0 : 2000);
      }
      if (!lostTimer) {
        lostTimer = setTimeout(() => {
          if (!ended && pc.connectionState !== 'connected') {
            routed('hangup', { reason: 'connection-lost' });
            finish('ended', t('lost'));
          }
        }, 15000);
      }
    }
  }

  function onPeerMessage(data) {
    if (typeof data !== 'string' || data.length > 16384) return;
    let m;
    try {
      m = JSON.parse(data);
    } catch (e) {
      return;
    }
    if (m && m.type === 'media') {
      peerMedia = {
        camera: m.camera !== false,
        microphone: m.microphone !== false,
        screen: m.screen === true,
      };
      showPeerMedia();
    }
  }

  function showPeerMedia() {
    const note = $('peer-media');
    const muted = !peerMedia.microphone;
    const dark = !peerMedia.camera;
    note.textContent = muted && dark ? t('peerBoth', { peer: owner })
      : muted ? t('peerMuted', { peer: owner }) : dark ? t('peerCameraOff', { peer: owner }) : '';
    note.hidden = !(muted || dark);
    $('screen').hidden = !peerMedia.screen || !$('screen').srcObject;
  }

  function sendMediaState() {
    if (channel && channel.readyState === 'open') {
      const audio = local.getAudioTracks()[0];
      const video = local.getVideoTracks()[0];
      channel.send(JSON.stringify({
        type: 'media',
        camera: !!video && video.enabled,
        microphone: !!audio && audio.enabled,
        screen: false,
      }));
    }
  }

  $('mute').addEventListener('click', () => {
    const audio = local && local.getAudioTracks()[0];
    if (!audio) return;
    audio.enabled = !audio.enabled;
    $('mute').textContent = t(audio.enabled ? 'mute' : 'unmute');
    $('mute').setAttribute('aria-pressed', String(!audio.enabled));
    sendMediaState();
  });

  $('camera').addEventListener('click', () => {
    const video = local && local.getVideoTracks()[0];
    if (!video) return;
    video.enabled = !video.enabled;
    $('camera').textContent = t(video.enabled ? 'cameraOff' : 'cameraOn');
    $('camera').setAttribute('aria-pressed', String(!video.enabled));
    sendMediaState();
  });

  $('hangup').addEventListener('click', () => {
    if (ended) return;
    if (accepted) {
      routed('hangup', { reason: 'hung-up' });
    } else {
      routed('cancel', { reason: 'cancelled' });
    }
    finish('ended', t('youEnded'));
  });

  window.addEventListener('pagehide', () => {
    if (!ended && callId) routed(accepted ? 'hangup' : 'cancel', { reason: accepted ? 'hung-up' : 'cancelled' });
  });

  function finish(state, text) {
    if (ended) return;
    ended = true;
    clearInterval(pinger);
    clearTimeout(restartTimer);
    clearTimeout(lostTimer);
    if (pc) pc.close();
    if (local) local.getTracks().forEach((track) => track.stop());
    if (ws) ws.close(1000);
    $('call').hidden = true;
    $('join').hidden = true;
    $('again').hidden = state === 'gone';
    show(state, text);
  }

  /** Looks for a path to the peer again, as when the network changes (for support and for tests). */
  window.parleyRestartIce = () => {
    if (pc && !ended && accepted && pc.signalingState === 'stable') restartIce();
  };

  /** A summary of the call's statistics, for support and for tests (no addresses). */
  window.parleyCallStats = async () => {
    if (!pc) return null;
    const out = {
      connection: pc.connectionState,
      signaling: pc.signalingState,
      iceRestarts,
      iceUfrag: ((pc.localDescription && pc.localDescription.sdp.match(/a=ice-ufrag:(\S+)/)) || [])[1] || '',
      audioPacketsIn: 0,
      videoFramesIn: 0,
      videoCodecIn: '',
      videoCodecOut: '',
    };
    const codecs = new Map();
    const stats = await pc.getStats();
    stats.forEach((s) => { if (s.type === 'codec') codecs.set(s.id, s.mimeType); });
    stats.forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio') out.audioPacketsIn += s.packetsReceived || 0;
      if (s.type === 'inbound-rtp' && s.kind === 'video') {
        out.videoFramesIn += s.framesDecoded || 0;
        out.videoCodecIn = codecs.get(s.codecId) || out.videoCodecIn;
      }
      if (s.type === 'outbound-rtp' && s.kind === 'video') out.videoCodecOut = codecs.get(s.codecId) || out.videoCodecOut;
    });
    return out;
  };
})();
