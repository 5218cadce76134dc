import { describe, expect, it } from 'vitest';
import { gatewayHints, parseSidecar, parseSidecarFields, sidecarNames } from './sidecar.ts';

const json = (v: unknown) => Buffer.from(JSON.stringify(v));

// Synthetic values in the field names the README lists per gateway.
describe('fax gateway sidecars', () => {
  it('reads the default field names of common gateways', () => {
    const phaxio = gatewayHints(parseSidecar(json({ fax: { id: 1, from_number: '+15550100', to_number: '+18005550199', caller_id: '+15550100', num_pages: 3, completed_at: '2026-03-02T09:15:00Z' } }))!);
    expect(phaxio).toEqual({ faxFrom: '+15550100', faxTo: '+18005550199', gatewayReceivedAt: '2026-03-02T09:15:00.000Z' });

    const concord = gatewayHints(
      parseSidecar(json({ CallerNumber: '5550100', CalledNumber: '8005550199', FaxSenderCSID: 'RIVERSIDE FP', FaxPages: '3', FaxReceiveDateTimeUtcISO8601: '2026-03-02T09:15:00Z' }))!,
    );
    expect(concord).toEqual({ faxFrom: '5550100', faxTo: '8005550199', faxStation: 'RIVERSIDE FP', gatewayReceivedAt: '2026-03-02T09:15:00.000Z' });

    const sinch = gatewayHints(parseSidecar(json({ id: 'x', direction: 'INBOUND', from: '+15550100', to: '+18005550199', numberOfPages: 3, completedTime: '2026-03-02T09:15:00Z' }))!);
    expect(sinch).toEqual({ faxFrom: '+15550100', faxTo: '+18005550199', gatewayReceivedAt: '2026-03-02T09:15:00.000Z' });

    const faxTo = gatewayHints(parseSidecar(json({ uuid: 'u', from: '5550100', to: '8005550199', time: '2026-03-02 09:15:00', rsid: 'RIVERSIDE FP', pages: '3' }))!);
    expect(faxTo).toMatchObject({ faxFrom: '5550100', faxStation: 'RIVERSIDE FP' });
    expect(faxTo.gatewayReceivedAt).toMatch(/^2026-03-02T/);
  });

  it('reads XML elements and attributes, and epoch seconds', () => {
    const xml = '<?xml version="1.0"?><InboundFax xmlns="urn:x"><CallerID>555-0100</CallerID><CSID>RIVERSIDE &amp; CO</CSID><Received>1772442900</Received><Pages count="3"/></InboundFax>';
    const fields = parseSidecar(Buffer.from(xml))!;
    expect(fields).toMatchObject({ CallerID: '555-0100', CSID: 'RIVERSIDE & CO', 'Pages.count': '3' });
    expect(gatewayHints(fields)).toEqual({ faxFrom: '555-0100', faxStation: 'RIVERSIDE & CO', gatewayReceivedAt: '2026-03-02T09:15:00.000Z' });
    expect(parseSidecar(Buffer.from('faxinfo text, not JSON or XML'))).toBeUndefined();
  });

  it('FAX_SIDECAR_FIELDS replaces the names of the hints it lists', () => {
    const names = parseSidecarFields('faxStation=receive_fax_remote_identity; faxFrom=from|ani');
    const fields = parseSidecar(json({ receive_fax_remote_identity: 'RIVERSIDE FP', from: '+15550100', csid: 'ignored now' }))!;
    expect(gatewayHints(fields, names)).toEqual({ faxStation: 'RIVERSIDE FP', faxFrom: '+15550100' });
    expect(() => parseSidecarFields('sender=x')).toThrow(/unknown hint 'sender'/);
  });

  it('names the sidecars a fax can have', () => {
    expect(sidecarNames('in/2026/F0001.pdf')).toEqual(['in/2026/F0001.json', 'in/2026/F0001.xml', 'in/2026/F0001.JSON', 'in/2026/F0001.XML']);
  });
});
