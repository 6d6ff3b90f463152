export { startS3Peer, s3PeerClientConfig, S3_PEER_CREDENTIALS, S3_PEER_REGION, type S3Peer, type StartS3PeerOptions } from './s3-peer';
export { startConditionalS3Peer, type ConditionalS3Peer, type Fault, type FaultInjector, type PeerRequest, type RecordedRequest, type RequestRecorder } from './conditional-s3-peer';
