/** Organizations, projects (and environments) and the current user: who the connection's OAuth grant belongs to. */
import { userBasic } from '../factories.js';
import { ReplyError, isoTime, json, notFound } from '../http.js';
import type { Account, ProjectData } from '../model.js';
import type { ApiContext, ApiRoutes } from './context.js';
import { resolveProject } from './context.js';
import { paginate } from './pagination.js';

export function registerAccount(routes: ApiRoutes): void {
  routes
    .add('GET', '/api/users/@me', (ctx) => json(200, presentUser(ctx)))
    .add('GET', '/api/organizations', (ctx) => json(200, paginate(ctx, [organizationDetail(ctx, ctx.account)])))
    .add('GET', '/api/organizations/:orgId', (ctx) => json(200, organizationDetail(ctx, organizationFor(ctx))))
    .add('GET', '/api/organizations/:orgId/projects', (ctx) => {
      organizationFor(ctx);
      return json(
        200,
        paginate(ctx, projectsOf(ctx), (p) => presentProject(ctx, p)),
      );
    })
    .add('GET', '/api/organizations/:orgId/projects/:projectId', (ctx) => {
      organizationFor(ctx);
      return json(200, presentProject(ctx, resolveProject(ctx, ctx.params.projectId ?? '')));
    })
    .add('GET', '/api/projects', (ctx) =>
      json(
        200,
        paginate(ctx, projectsOf(ctx), (p) => presentProject(ctx, p)),
      ),
    )
    .add('GET', '/api/environments', (ctx) =>
      json(
        200,
        paginate(ctx, projectsOf(ctx), (p) => presentProject(ctx, p)),
      ),
    )
    .project('GET', '', (ctx) => json(200, presentProject(ctx, ctx.data)));
}

function projectsOf(ctx: ApiContext): ProjectData[] {
  return ctx.state.projectsOfAccount(ctx.account);
}

function organizationFor(ctx: ApiContext): Account {
  const raw = ctx.params.orgId;
  if (raw === '@current' || raw === ctx.account.organization.id) return ctx.account;
  throw new ReplyError(notFound());
}

export function presentProject(ctx: ApiContext, data: ProjectData): Record<string, unknown> {
  const p = data.project;
  const pinned = data.dashboards.find((d) => d.pinned === true && d.deleted !== true);
  return {
    id: p.id,
    uuid: p.uuid,
    organization: p.organization,
    project_id: p.id,
    api_token: p.api_token,
    name: p.name,
    timezone: p.timezone,
    created_at: p.created_at,
    updated_at: p.created_at,
    app_urls: [p.siteUrl],
    completed_snippet_onboarding: true,
    ingested_event: true,
    is_demo: false,
    access_control: false,
    week_start_day: 0,
    primary_dashboard: pinned?.id ?? null,
    test_account_filters: [],
    person_display_name_properties: ['email', 'name'],
    effective_membership_level: 15,
    has_group_types: false,
    group_types: [],
    live_events_token: null,
    user_access_level: 'admin',
    default_data_theme: null,
    ...(ctx.path.includes('/environments') && { product_intents: [] }),
  };
}

function projectSummary(data: ProjectData): Record<string, unknown> {
  return {
    id: data.project.id,
    uuid: data.project.uuid,
    organization: data.project.organization,
    api_token: data.project.api_token,
    name: data.project.name,
    completed_snippet_onboarding: true,
    has_completed_onboarding_for: {},
    ingested_event: true,
    is_demo: false,
    timezone: data.project.timezone,
    access_control: false,
  };
}

function organizationDetail(ctx: ApiContext, account: Account): Record<string, unknown> {
  const projects = ctx.state.projectsOfAccount(account);
  const org = account.organization;
  return {
    id: org.id,
    name: org.name,
    slug: org.slug,
    logo_media_id: null,
    created_at: org.created_at,
    updated_at: org.created_at,
    membership_level: 15,
    plugins_access_level: 9,
    teams: projects.map(projectSummary),
    projects: projects.map((p) => ({ id: p.project.id, name: p.project.name, organization_id: org.id })),
    available_product_features: [],
    is_member_join_email_enabled: true,
    metadata: {},
    customer_id: null,
    enforce_2fa: null,
    member_count: 1,
    is_ai_data_processing_approved: true,
    default_experiment_stats_method: 'bayesian',
  };
}

function presentUser(ctx: ApiContext): Record<string, unknown> {
  const { user, organization } = ctx.account;
  const current = ctx.state.projectsOfAccount(ctx.account)[0];
  return {
    ...userBasic(user),
    date_joined: user.date_joined,
    pending_email: null,
    notification_settings: { plugin_disabled: true },
    anonymize_data: false,
    toolbar_mode: 'toolbar',
    has_password: true,
    is_staff: false,
    is_impersonated: false,
    is_2fa_enabled: false,
    has_social_auth: false,
    theme_mode: 'system',
    team: current ? projectSummary(current) : null,
    organization: organizationDetail(ctx, ctx.account),
    organizations: [{ id: organization.id, name: organization.name, slug: organization.slug, logo_media_id: null, membership_level: 15 }],
    events_column_config: { active: 'DEFAULT' },
    last_login: isoTime(ctx.now),
  };
}
