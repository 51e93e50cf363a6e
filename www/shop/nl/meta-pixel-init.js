// The shop's own Meta Pixel set-up, which in Meta's snippet is inline: external here,
// as the demo shop's CSP allows no inline scripts. It needs `fbq` from the pixel
// script before it, so it shows that held-back scripts keep their document order.
window.__standIns = (window.__standIns || []).concat(typeof fbq === 'function' ? 'meta-pixel-init' : 'meta-pixel-init without fbq');
fbq('init', '000000000000000');
fbq('track', 'PageView');
