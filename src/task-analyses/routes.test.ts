import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Browser, createTestApp, type ErrorBody, signedInAs, type TestApp } from '../../test/test-app.ts';
import { makeEmployer, makeParticipant, makeTeam, makeTokenUser } from '../../test/factories.ts';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import * as audit from '../audit/service.ts';
import * as employers from '../employers/service.ts';
import { createPlacement } from '../placements/service.ts';
import * as settings from '../settings/service.ts';
import type { User } from '../users/service.ts';
import * as tasks from './service.ts';

// The test clock stands at 2027-04-01 10:00 UTC; sessions are recorded in March 2027.

let t: TestApp;
let north: string;
let pat: User;
let browser: Browser;

beforeEach(async () => {
  t = await createTestApp({ now: '2027-04-01T10:00:00Z' });
  north = (await makeTeam(t.db, t.deps, 'North IPS')).id;
  ({ browser, user: pat } = await signedInAs(t, 'practitioner', north));
});
afterEach(async () => {
  await t.close();
});

const viewerOf = (u: User) => ({ userId: u.id, role: u.role, teamId: u.teamId });

/** A person on Pat's caseload in a job at a hospital's catering department. */
async function personInJob() {
  const person = await makeParticipant(t.db, t.deps, pat);
  const employer = await makeEmployer(t.db, t.deps, pat, { name: 'St Elsewhere Hospital' });
  const department = await employers.saveDepartment(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(pat), employer.id, null, {
    name: 'Catering',
  });
  const placement = await createPlacement(t.db, t.deps, SYSTEM_CONTEXT, {
    participantId: person.id,
    employerId: employer.id,
    departmentId: department.id,
    title: 'Catering assistant',
    startDate: '2026-11-02',
  });
  return { person, employer, department, placement };
}

async function makeAnalysis(
  steps: string[],
  place: { employerId?: string; departmentId?: string } = {},
  title = 'Set up the tea trolley',
) {
  return tasks.createTaskAnalysis(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(pat), { title, steps, ...place });
}

/** Records sessions straight through the service: `independentSteps[i]` steps independent in session i, the rest verbal. */
async function recordSessions(
  analysis: tasks.TaskAnalysis,
  personId: string,
  placementId: string,
  independentSteps: number[],
  firstDay = 1,
) {
  const steps = analysis.steps.filter((s) => !s.retired);
  for (const [i, n] of independentSteps.entries()) {
    await tasks.recordSession(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(pat), analysis.id, {
      participantId: personId,
      placementId,
      sessionDate: `2027-03-${String(firstDay + i).padStart(2, '0')}`,
      results: steps.map((s, j) => ({ stepId: s.id, promptLevel: j < n ? 'independent' : 'verbal' })),
    });
  }
}

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

const twelveSteps = Array.from({ length: 12 }, (_, i) => `Step text ${i + 1}`);

describe('the progress page', () => {
  it('shows 12 steps over 8 sessions as a chart with one point per session and the same figures as a table', async () => {
    const { person, placement } = await personInJob();
    const analysis = await makeAnalysis(twelveSteps);
    const independent = [0, 2, 3, 5, 6, 9, 11, 12];
    await recordSessions(analysis, person.id, placement.id, independent);

    const res = await browser.get(`/placements/${placement.id}/instruction/${analysis.id}`);
    expect(res.statusCode).toBe(200);
    // The chart: an SVG image with a title and description, one point per session, no inline styles.
    const svg = /<svg class="stepwise-chart"[\s\S]*?<\/svg>/.exec(res.body)?.[0] ?? '';
    expect(svg).toContain('role="img"');
    expect(svg).toMatch(
      /<title id="independence-chart-title">Steps done independently in each session: Set up the tea trolley<\/title>/,
    );
    expect(svg).toMatch(/<desc id="independence-chart-desc">8 sessions from 2027-03-01 to 2027-03-08/);
    expect(svg.match(/class="stepwise-chart__point/g)).toHaveLength(8);
    expect(svg).not.toMatch(/style=/);
    // The last session had every step independent: a square point, readable without colour.
    expect(svg.match(/stepwise-chart__point--all/g)).toHaveLength(1);
    // The table has the same figures, one row per session.
    const table = /<table[\s\S]*?Steps done independently, by session[\s\S]*?<\/table>/.exec(res.body)?.[0] ?? '';
    const percents = independent.map((n) => Math.round((n / 12) * 100));
    expect(percents).toEqual([0, 17, 25, 42, 50, 75, 92, 100]);
    for (const [i, n] of independent.entries()) {
      expect(text(table)).toContain(
        `Session ${i + 1} Date ${['1', '2', '3', '4', '5', '6', '7', '8'][i]} March 2027 Steps independent ${n} of 12 Percent ${percents[i]}%`,
      );
    }
    expect(text(res.body)).toContain('Not mastered yet: 1 of 3 sessions in a row with every step done independently');
  });

  it('says when the task was mastered and suggests fading, following the mastery setting', async () => {
    const { person, placement } = await personInJob();
    const analysis = await makeAnalysis(['Fill the urn', 'Stack the cups']);
    await recordSessions(analysis, person.id, placement.id, [1, 2, 2]);
    const url = `/placements/${placement.id}/instruction/${analysis.id}`;
    expect(text((await browser.get(url)).body)).toContain('Not mastered yet: 2 of 3 sessions');

    await settings.updateSettings(t.db, t.deps, SYSTEM_CONTEXT, { masterySessions: 2 });
    expect(text((await browser.get(url)).body)).toContain('Mastered on 3 March 2027: consider fading support');
    expect(await tasks.masteredTasks(t.db, person.id)).toEqual([{ title: 'Set up the tea trolley', masteredOn: '2027-03-03' }]);
  });

  it('shows the prompt level at each step for each session in a grid', async () => {
    const { person, placement } = await personInJob();
    const analysis = await makeAnalysis(['Fill the urn', 'Stack the cups']);
    await recordSessions(analysis, person.id, placement.id, [1]);
    const res = await browser.get(`/placements/${placement.id}/instruction/${analysis.id}`);
    const grid = /<table[\s\S]*?Prompt level at each step, by session[\s\S]*?<\/table>/.exec(res.body)?.[0] ?? '';
    expect(text(grid)).toContain('Fill the urn Session 1, 1 March 2027 I Independent');
    expect(text(grid)).toContain('Stack the cups Session 1, 1 March 2027 V Verbal prompt');
  });

  it('audits the read on the person and hides the page from someone who may not see them', async () => {
    const { person, placement } = await personInJob();
    const analysis = await makeAnalysis(['Fill the urn']);
    await browser.get(`/placements/${placement.id}/instruction/${analysis.id}`);
    const events = (await audit.listEvents(t.db, { action: 'instruction_sessions.viewed' }, 10)).items;
    expect(events.some((e) => e.entityId === person.id)).toBe(true);

    const other = (await makeTeam(t.db, t.deps, 'South IPS')).id;
    const { browser: stranger } = await signedInAs(t, 'practitioner', other);
    expect((await stranger.get(`/placements/${placement.id}/instruction/${analysis.id}`)).statusCode).toBe(404);
    expect((await stranger.get(`/placements/${placement.id}/instruction`)).statusCode).toBe(404);
  });
});

describe('recording a session on the grid', () => {
  it('offers the five prompt levels for each step in order and saves the session', async () => {
    const { person, placement } = await personInJob();
    const analysis = await makeAnalysis(['Fill the urn', 'Stack the cups']);
    const url = `/placements/${placement.id}/instruction/${analysis.id}/sessions/new`;
    const page = await browser.get(url);
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toMatch(/Step 1: Fill the urn .*Step 2: Stack the cups/);
    expect(page.body).toContain('value="2027-04-01"');
    expect(page.body.match(/type="radio"/g)).toHaveLength(10);

    const [urn, cups] = analysis.steps;
    const res = await browser.post(url, {
      session_date: '2027-04-01',
      [`step_${urn!.id}`]: 'independent',
      [`step_${cups!.id}`]: 'gesture',
      notes: 'Good focus',
    });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`/placements/${placement.id}/instruction/${analysis.id}?done=recorded`);
    const sessions = await tasks.listSessions(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(pat), analysis.id, person.id);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.summary.percentIndependent).toBe(50);

    // The next session starts from these levels.
    const next = await browser.get(url);
    expect(next.body).toMatch(new RegExp(`name="step_${cups!.id}" type="radio" value="gesture" checked`));
  });

  it('names each step left without a level and keeps what was picked', async () => {
    const { placement } = await personInJob();
    const analysis = await makeAnalysis(['Fill the urn', 'Stack the cups']);
    const url = `/placements/${placement.id}/instruction/${analysis.id}/sessions/new`;
    await browser.get(url);
    const [urn, cups] = analysis.steps;
    const res = await browser.post(url, { session_date: '2027-04-01', [`step_${urn!.id}`]: 'model' });
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain('Select the prompt needed at step 2: Stack the cups');
    expect(res.body).toContain(`href="#step_${cups!.id}"`);
    expect(res.body).toMatch(new RegExp(`name="step_${urn!.id}" type="radio" value="model" checked`));
  });

  it('refuses a session dated in the future', async () => {
    const { placement } = await personInJob();
    const analysis = await makeAnalysis(['Fill the urn']);
    const url = `/placements/${placement.id}/instruction/${analysis.id}/sessions/new`;
    await browser.get(url);
    const res = await browser.post(url, { session_date: '02/04/2027', [`step_${analysis.steps[0]!.id}`]: 'verbal' });
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain('Session date must be today or in the past');
  });
});

describe('the instruction page of a job', () => {
  it('lists the tasks used with the person and offers the department’s task analyses first', async () => {
    const { person, employer, department, placement } = await personInJob();
    const used = await makeAnalysis(['Fill the urn'], {}, 'Tea trolley');
    await recordSessions(used, person.id, placement.id, [1]);
    await makeAnalysis(['Open the till'], {}, 'Anywhere task');
    await makeAnalysis(['Wash up'], { employerId: employer.id, departmentId: department.id }, 'Zebra catering task');

    const page = text((await browser.get(`/placements/${placement.id}/instruction`)).body);
    expect(page).toContain('Tea trolley');
    expect(page).toContain('1 March 2027: 1 of 1 steps independent (100%)');
    const start = page.slice(page.indexOf('Start using a task analysis'));
    expect(start.indexOf('Zebra catering task')).toBeLessThan(start.indexOf('Anywhere task'));
    expect(start).not.toContain('Tea trolley');
  });

  it('creates a task analysis from the job and goes straight to recording a first session', async () => {
    const { department, placement } = await personInJob();
    const form = await browser.get(`/task-analyses/new?placement=${placement.id}`);
    expect(form.body).toMatch(new RegExp(`value="[^"]*/${department.id}" selected`));
    const res = await browser.post(`/task-analyses/new?placement=${placement.id}`, {
      title: 'Clear tables',
      place: /value="([^"]*\/[^"]*)" selected/.exec(form.body)![1]!,
      steps: '1. Take a tray\n2. Collect the plates\n\n3. Wipe the table',
      description: '',
    });
    expect(res.statusCode).toBe(302);
    const id = /instruction\/([^/]+)\/sessions\/new/.exec(res.headers.location as string)![1]!;
    const created = await tasks.getTaskAnalysis(t.db, viewerOf(pat), id);
    expect(created.steps.map((s) => s.text)).toEqual(['Take a tray', 'Collect the plates', 'Wipe the table']);
    expect(created.departmentId).toBe(department.id);
  });
});

describe('task analysis pages', () => {
  it('asks for the title and steps, keeping what was typed', async () => {
    await browser.get('/task-analyses/new');
    const res = await browser.post('/task-analyses/new', { title: '', place: '', steps: '  \n ', description: 'Kept' });
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain('Enter the name of the task');
    expect(text(res.body)).toContain('Enter the steps of the task, one on each line');
    expect(res.body).toContain('Kept');
  });

  it('lists and searches task analyses', async () => {
    await makeAnalysis(['a'], {}, 'Restock crisps');
    await makeAnalysis(['a'], {}, 'Clean the till');
    const all = text((await browser.get('/task-analyses')).body);
    expect(all).toContain('2 task analyses');
    const found = text((await browser.get('/task-analyses?q=CRISP')).body);
    expect(found).toContain('Restock crisps');
    expect(found).not.toContain('Clean the till');
    expect(text((await browser.get('/task-analyses?q=zzz')).body)).toContain('No task analysis matches your search');
  });

  it('moves, retires and adds steps, and never deletes a step sessions used', async () => {
    const { person, placement } = await personInJob();
    const analysis = await makeAnalysis(['First', 'Second', 'Third']);
    await recordSessions(analysis, person.id, placement.id, [3]);
    const [first, second, third] = analysis.steps;
    const edit = `/task-analyses/${analysis.id}/edit`;
    const form = (version: number, action: string, extra: Record<string, string> = {}) => ({
      title: 'Set up the tea trolley',
      place: '',
      description: '',
      version: String(version),
      [`step_${first!.id}`]: 'First',
      [`step_${second!.id}`]: 'Second, changed',
      [`step_${third!.id}`]: 'Third',
      new_step: '',
      action,
      ...extra,
    });
    await browser.get(edit);
    expect((await browser.post(edit, form(1, `down:${first!.id}`))).statusCode).toBe(302);
    expect((await browser.post(edit, form(2, `retire:${third!.id}`))).statusCode).toBe(302);
    expect((await browser.post(edit, form(3, 'add', { new_step: 'Fourth' }))).statusCode).toBe(302);
    const after = await tasks.getTaskAnalysis(t.db, viewerOf(pat), analysis.id);
    expect(after.steps.map((s) => [s.text, s.retired])).toEqual([
      ['Second, changed', false],
      ['First', false],
      ['Third', true],
      ['Fourth', false],
    ]);
    // A stale version is refused and nothing changes.
    const stale = await browser.post(edit, form(1, 'save', { title: 'Overwritten' }));
    expect(stale.statusCode).toBe(409);
    expect((await tasks.getTaskAnalysis(t.db, viewerOf(pat), analysis.id)).title).toBe('Set up the tea trolley');
    const show = text((await browser.get(`/task-analyses/${analysis.id}`)).body);
    expect(show).toContain('Retired steps');
  });

  it('copies a task analysis for another department after confirming, keeping only current steps', async () => {
    const { employer } = await personInJob();
    const wards = await employers.saveDepartment(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(pat), employer.id, null, {
      name: 'Wards',
    });
    const analysis = await makeAnalysis(['Fill the urn', 'Stack the cups']);
    await tasks.updateTaskAnalysis(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(pat), analysis.id, 1, {
      steps: [
        { id: analysis.steps[0]!.id, text: 'Fill the urn', retired: false },
        { id: analysis.steps[1]!.id, text: 'Stack the cups', retired: true },
      ],
    });
    const confirm = await browser.get(`/task-analyses/${analysis.id}/copy`);
    expect(text(confirm.body)).toContain('The copy starts with the 1 current step');
    const res = await browser.post(`/task-analyses/${analysis.id}/copy`, {
      title: 'Tea trolley on the wards',
      place: `${employer.id}/${wards.id}`,
    });
    expect(res.statusCode).toBe(302);
    const copyId = /task-analyses\/([^?]+)/.exec(res.headers.location as string)![1]!;
    const copy = await tasks.getTaskAnalysis(t.db, viewerOf(pat), copyId);
    expect(copy).toMatchObject({ copiedFromId: analysis.id, departmentId: wards.id, title: 'Tea trolley on the wards' });
    expect(copy.steps.map((s) => s.text)).toEqual(['Fill the urn']);
    expect(text((await browser.get(res.headers.location as string)).body)).toContain('Start a new baseline');
  });

  it('is not open to clinicians', async () => {
    const { browser: clinician } = await signedInAs(t, 'clinician', north);
    expect((await clinician.get('/task-analyses')).statusCode).toBe(403);
  });
});

interface AnalysisJson {
  id: string;
  title: string;
  step_count?: number;
  steps: { id: string; position: number; text: string; retired: boolean }[];
}
interface ListJson<T> {
  items: T[];
  next_cursor: string | null;
}

describe('task-analyses API', () => {
  async function api(token: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) {
    return t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
  }

  it('creates, reads, changes and lists task analyses', async () => {
    const { token } = await makeTokenUser(t.db, t.deps, 'practitioner', north);
    const created = await api(token, 'POST', '/api/v1/task-analyses', {
      title: 'Mop the floor',
      steps: ['Fill the bucket', 'Mop'],
    });
    expect(created.statusCode).toBe(201);
    const body = created.json<AnalysisJson>();
    expect(body.steps.map(({ position, text, retired }) => ({ position, text, retired }))).toEqual([
      { position: 1, text: 'Fill the bucket', retired: false },
      { position: 2, text: 'Mop', retired: false },
    ]);
    const patched = await api(token, 'PATCH', `/api/v1/task-analyses/${body.id}`, {
      version: 1,
      steps: [{ text: 'Put out the sign' }, { id: body.steps[0]?.id, text: 'Fill the bucket' }],
    });
    expect(patched.statusCode).toBe(200);
    // The unused step left out is removed; the new one comes first.
    expect(patched.json<AnalysisJson>().steps.map((s) => s.text)).toEqual(['Put out the sign', 'Fill the bucket']);
    expect((await api(token, 'PATCH', `/api/v1/task-analyses/${body.id}`, { version: 1, title: 'Stale' })).statusCode).toBe(409);

    await api(token, 'POST', '/api/v1/task-analyses', { title: 'Another', steps: ['x'] });
    const first = (await api(token, 'GET', '/api/v1/task-analyses?limit=1')).json<ListJson<AnalysisJson>>();
    expect(first.items.map((a) => a.title)).toEqual(['Another']);
    const second = await api(token, 'GET', `/api/v1/task-analyses?limit=1&cursor=${first.next_cursor ?? ''}`);
    expect(second.json()).toMatchObject({ items: [{ title: 'Mop the floor', step_count: 2 }], next_cursor: null });
    expect((await api(token, 'GET', '/api/v1/task-analyses?q=mop')).json<ListJson<AnalysisJson>>().items).toHaveLength(1);
  });

  it('retires a step a session used when a PATCH leaves it out, instead of deleting it', async () => {
    const { person, placement } = await personInJob();
    const analysis = await makeAnalysis(['Fill the urn', 'Stack the cups']);
    await recordSessions(analysis, person.id, placement.id, [2]);
    const { token } = await makeTokenUser(t.db, t.deps, 'manager', north);
    const res = await api(token, 'PATCH', `/api/v1/task-analyses/${analysis.id}`, {
      version: 1,
      steps: [{ id: analysis.steps[1]!.id, text: 'Stack the cups' }],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json<AnalysisJson>().steps.map(({ text, retired }) => [text, retired])).toEqual([
      ['Stack the cups', false],
      ['Fill the urn', true],
    ]);
    // The earlier session keeps its result for the retired step.
    const [session] = await tasks.listSessions(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(pat), analysis.id, person.id);
    expect(session?.levels.get(analysis.steps[0]!.id)).toBe('independent');
  });

  it('records a session with its summary, and lists sessions only for people the caller may see', async () => {
    const { person, placement } = await personInJob();
    const analysis = await makeAnalysis(['Fill the urn', 'Stack the cups']);
    const { token } = await makeTokenUser(t.db, t.deps, 'practitioner', north);
    const [urn, cups] = analysis.steps;
    const missing = await api(token, 'POST', `/api/v1/task-analyses/${analysis.id}/sessions`, {
      participant_id: person.id,
      session_date: '2027-04-01',
      results: [{ step_id: urn!.id, prompt_level: 'independent' }],
    });
    expect(missing.statusCode).toBe(400);
    expect(Object.keys(missing.json<ErrorBody>().error.fields ?? {})).toEqual([`step_${cups!.id}`]);

    const res = await api(token, 'POST', `/api/v1/task-analyses/${analysis.id}/sessions`, {
      participant_id: person.id,
      placement_id: placement.id,
      session_date: '2027-04-01',
      results: [
        { step_id: urn!.id, prompt_level: 'independent' },
        { step_id: cups!.id, prompt_level: 'physical' },
      ],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json<{ summary: unknown }>().summary).toEqual({
      counts: { independent: 1, verbal: 0, gesture: 0, model: 0, physical: 1 },
      steps_recorded: 2,
      percent_independent: 50,
    });
    const list = await api(token, 'GET', `/api/v1/task-analyses/${analysis.id}/sessions?participant_id=${person.id}`);
    expect(list.json<ListJson<unknown>>().items).toHaveLength(1);

    const other = (await makeTeam(t.db, t.deps, 'South IPS')).id;
    const { token: stranger } = await makeTokenUser(t.db, t.deps, 'practitioner', other);
    expect(
      (await api(stranger, 'GET', `/api/v1/task-analyses/${analysis.id}/sessions?participant_id=${person.id}`)).statusCode,
    ).toBe(404);
  });
});
