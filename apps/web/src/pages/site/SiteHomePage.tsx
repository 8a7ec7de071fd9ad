import { useState } from 'react';
import { post, submissionId } from '../../api/client';
import { ENROLMENT, NEW_PATIENT_STATE, bodyOf, ELIGIBILITY_CRITERIA, violationsOf, Values } from '../../app/forms';
import { navigate } from '../../app/router';
import { signedCasebooks } from '../../app/signatures';
import { allSitePatients } from '../../app/site-patients';
import { useApi } from '../../app/use-api';
import { EntryForm } from '../../components/EntryForm';
import { SubjectMatrix } from '../../components/SubjectMatrix';
import { AsOfPicker, ErrorBox, Loading, Section, today } from '../../components/ui';

/** What the enrolment form sends: the criteria with their codes, and the verdict they imply. */
export function enrolmentBody(siteId: string, values: Values): Record<string, unknown> {
  const body = bodyOf(ENROLMENT.fields, values) as Record<string, unknown> & { eligibility?: { criteria?: Array<{ met: boolean }> } };
  const criteria = ELIGIBILITY_CRITERIA.map((code, index) => ({ code, met: body.eligibility?.criteria?.[index]?.met === true }));
  return { ...body, siteId, eligibility: { met: criteria.every((criterion) => criterion.met), criteria } };
}

/** The coordinator's and investigator's start page: the site's subject matrix and enrolment. */
export function SiteHomePage({ siteId }: { siteId: string }) {
  const [asOf, setAsOf] = useState(today());
  const patients = useApi(
    async () => {
      const [list, signed] = await Promise.all([allSitePatients(siteId, asOf), signedCasebooks(siteId, asOf)]);
      return { list, signed };
    },
    [siteId, asOf],
    { live: true },
  );

  return (
    <>
      <h1>Site {siteId}: subjects</h1>
      <Section title="Subject matrix" actions={<AsOfPicker value={asOf} onChange={setAsOf} />}>
        {patients.loading && !patients.data && <Loading what="patients" />}
        <ErrorBox error={patients.error} />
        {patients.data &&
          (patients.data.list.length === 0 ? (
            <p>No patient enrolled yet.</p>
          ) : (
            <SubjectMatrix patients={patients.data.list} signed={patients.data.signed} />
          ))}
      </Section>
      <Section title="Enrolment">
        <EntryForm
          title={ENROLMENT.title}
          fields={ENROLMENT.fields}
          initial={{ ...ENROLMENT.defaults, occurredAt: today(), consentDate: today() }}
          submitLabel="Enrol"
          testId="enrolment-form"
          check={(values) => violationsOf(ENROLMENT.decide, NEW_PATIENT_STATE, enrolmentBody(siteId, values))}
          submit={async (values) => {
            const { siteId: _site, ...body } = enrolmentBody(siteId, values);
            const answer = await post<{ patientId: string }>(`/sites/${encodeURIComponent(siteId)}/patients`, {
              submissionId: submissionId(),
              ...body,
            });
            patients.reload();
            navigate(`/app/patients/${answer.patientId}`);
          }}
        />
      </Section>
    </>
  );
}
