// The iframe embed (embed/frame.html#share=<payload>&mode=run&theme=auto&height=400&speed=1&direction=LR&collapsed=Fulfil):
// the playground's share payload carries definition, input, seed and world; the other options
// follow it in the fragment. It tells the page that holds it how tall it is (postMessage), so
// the host (or the embed script, when the host page has it) can size the iframe to fit.
import { ready, mount, decodeShare } from './sfnsim.mjs';

const params = new URLSearchParams(location.hash.slice(1));
const problem = document.getElementById('problem');
const host = document.getElementById('embed');

function tellHeight() {
  const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
  if (window.parent !== window) window.parent.postMessage({ type: 'sfnsim:resize', height, id: params.get('id') }, '*');
}
new ResizeObserver(tellHeight).observe(document.documentElement);

try {
  await ready;
  const shared = decodeShare(params.get('share') ?? '');
  mount(host, {
    definition: shared.definition,
    input: shared.input,
    seed: shared.seed,
    world: shared.world,
    mode: params.get('mode') ?? undefined,
    theme: params.get('theme') ?? undefined,
    height: params.get('height') ?? undefined,
    speed: params.get('speed') ?? undefined,
    direction: params.get('direction') ?? undefined,
    collapsed: params.get('collapsed') ?? undefined,
    playground: new URL('../', location.href).href,
  });
} catch (e) {
  problem.hidden = false;
  problem.textContent = `This embed cannot be shown: ${e.message}`;
}
tellHeight();
