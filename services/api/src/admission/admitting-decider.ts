import { applicationDecider, type ApplicationCommand, type ApplicationEvent, type ApplicationState, type Decider } from '@wasmbed/domain';
import { verifyManifest } from '@wasmbed/protocol';
import type { CommandTarget } from '../commands/command-runner';
import { ManifestSignatureInvalid } from './errors';
import type { PublisherTrust } from './publisher-trust';
import { revisionManifestBytes } from './revision-manifest';

/**
 * The application decider with admission: every revision it is about to
 * create must be signed by a trusted publisher over that revision's
 * manifest. Checked on the events the domain decided, so the revision number
 * and the spec are exactly what will be stored; handleCommand decides again
 * after losing a race, and then checks against the revision it will really
 * create (a signature for the revision another caller took fails clearly).
 */
export function admittingDecider(trust: PublisherTrust): Decider<ApplicationCommand, ApplicationEvent, ApplicationState> {
  return {
    ...applicationDecider,
    decide(command, state) {
      const events = applicationDecider.decide(command, state);
      for (const event of events) {
        if (event.type !== 'ApplicationRevisionCreated') continue;
        const { revision, spec } = event.data;
        const application = command.data.applicationId;
        trust.assertTrusted(spec.publisherKey);
        const manifest = revisionManifestBytes(application, revision, spec);
        if (!verifyManifest(manifest, Buffer.from(spec.manifestSignature, 'hex'), Buffer.from(spec.publisherKey, 'hex'))) {
          throw new ManifestSignatureInvalid(application, revision);
        }
      }
      return events;
    },
  };
}

/** Create and Update run against this target: the application aggregate, admitted. */
export function admittedApplication(trust: PublisherTrust): CommandTarget<ApplicationCommand, ApplicationEvent, ApplicationState> {
  return { aggregateType: 'application', decider: admittingDecider(trust) };
}
