import type { ReportModel } from './report-model.js';

/**
 * The phase-pattern report in FORMAT.md's JSON shape (a public contract: the fields it lists
 * keep their names and meaning; everything else here is an addition).
 */
export function reportJsonObject(model: ReportModel): Record<string, unknown> {
  return {
    firm: model.firm.id,
    firmName: model.firm.name,
    study: model.firm.study,
    generatedAt: model.generatedAt,
    asOf: model.asOf,
    knownAt: model.knownAt,
    codebook: model.codebook,
    method: { name: model.method.name, version: model.method.version, parameters: model.method.parameters },
    tracks: model.tracks.map((t) => ({
      period: t.period,
      declared: t.declared,
      enacted: t.enacted,
      ambiguity: t.ambiguity,
      label: t.label,
    })),
    phases: model.phases.map((p) => ({
      from: p.from,
      to: p.to,
      label: p.label,
      declared: p.declared,
      enacted: p.enacted,
      ambiguity: p.ambiguity,
      dominantMode: p.dominantMode,
      boundaryEvents: p.boundaryEvents,
      boundaryMarkers: p.boundaryMarkers,
      months: p.months,
      eventCount: p.eventCount,
    })),
    pattern: model.pattern,
    checks: model.checks.map((c) => ({ id: c.id, title: c.title, holds: c.holds, evidence: c.evidence, detail: c.detail })),
    boundaryEvidence: model.boundaryEvidence,
    researcherPhases: {
      phases: model.researcherPhases.phases.map((p) => ({ ...p, agreement: p.agreement === null ? null : Math.round(p.agreement * 1000) / 1000 })),
      comparedPeriods: model.researcherPhases.comparedPeriods,
      labelAgreement: model.researcherPhases.labelAgreement === null ? null : Math.round(model.researcherPhases.labelAgreement * 1000) / 1000,
      kappa: model.researcherPhases.kappa === null ? null : Math.round(model.researcherPhases.kappa * 1000) / 1000,
    },
  };
}

export function renderReportJson(model: ReportModel): string {
  return `${JSON.stringify(reportJsonObject(model), null, 2)}\n`;
}
