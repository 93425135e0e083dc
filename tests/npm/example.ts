// The package's TypeScript definitions, type-checked (`tsc --noEmit`) over code that uses them.
import { ready, validate, layout, renderSvg, Simulator, mount } from 'sfnsim';
import type { Scene, Validation, Diagnostic, Highlights, WorldSpec, MountOptions, Embed, HistoryEvent } from 'sfnsim';

export async function main(el: Element): Promise<string> {
  await ready;
  const v: Validation = validate({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }, { type: 'EXPRESS' });
  const first: Diagnostic | undefined = v.diagnostics[0];
  const line: number | null = first ? first.line : null;
  const scene: Scene = layout('{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}');
  const names: string[] = scene.nodes.map((n) => n.name);
  const frame: number | null = scene.nodes[0].frame;
  const world: WorldSpec = { activities: ['a'], workers: [{ name: 'w', activityArn: 'arn:aws:states:us-east-1:123456789012:activity:a', answer: { kind: 'fail', error: 'E' } }] };
  const sim = new Simulator({ seed: 1, world });
  sim.onEvent((arn: string, e: HistoryEvent) => { void arn; void e.type; });
  const r = sim.call('ListStateMachines', {});
  const moved: boolean = sim.step();
  sim.advance(1);
  const t: number = sim.runUntilIdle() + sim.now();
  const marks: Highlights = sim.highlights('arn');
  const options: MountOptions = { definition: '{}', mode: 'autoplay', theme: 'dark', height: 300, world };
  const embed: Embed = mount(el, options);
  embed.reset();
  // @ts-expect-error: the mode is checked
  mount(el, { definition: '{}', mode: 'loud' });
  // @ts-expect-error: validate's type is STANDARD or EXPRESS
  validate('{}', { type: 'BATCH' });
  return `${renderSvg('{}', { execution: [] })}${names}${line}${frame}${r}${moved}${t}${marks.active.length}`;
}
